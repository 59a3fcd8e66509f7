using System.Text;

namespace Bittensor.Identity;

/// <summary>
/// A bittensor wallet on disk: <c>&lt;root&gt;/&lt;name&gt;/coldkey</c> (NaCl-encrypted when a password is given),
/// <c>coldkeypub.txt</c>, and <c>hotkeys/&lt;hotkey&gt;</c> with <c>hotkeys/&lt;hotkey&gt;pub.txt</c>. Every file is
/// written whole (to a temporary file, then moved into place) with mode 0600, and an operation that fails changes no
/// file. Keys are sr25519, addresses SS58 with prefix 42.
/// </summary>
public sealed class Wallet(string root, string name)
{
    public string Root { get; } = root;
    public string Name { get; } = name;
    public string Folder => Path.Combine(Root, Name);
    public string ColdkeyPath => Path.Combine(Folder, "coldkey");
    public string ColdkeyPublicPath => Path.Combine(Folder, "coldkeypub.txt");
    public string HotkeyPath(string hotkey) => Path.Combine(Folder, "hotkeys", hotkey);
    public string HotkeyPublicPath(string hotkey) => Path.Combine(Folder, "hotkeys", hotkey + "pub.txt");

    /// <summary>The default wallets folder: <c>BT_WALLET_PATH</c>, else <c>~/.bittensor/wallets</c>.</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("BT_WALLET_PATH") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".bittensor", "wallets");

    private static void WriteSecretFile(string path, byte[] contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options)) stream.Write(contents);
        File.Move(temporary, path, overwrite: true);
    }

    private void Refuse(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path)) throw new IOException($"{path} already exists; pass overwrite to replace it");
    }

    /// <summary>The key pair, the phrase (none for a seed) and the 32-byte seed a keyfile stores for a secret: a BIP-39
    /// phrase, or <c>0x</c> and 64 hex digits, the seed itself (btcli's <c>--seed</c>). A bad secret throws here, before
    /// any file is touched.</summary>
    private static (Sr25519KeyPair Pair, string? Phrase, byte[] Seed) FromSecret(string phraseOrSeed)
    {
        var isSeed = SecretUri.IsHexSeed(phraseOrSeed);
        var seed = isSeed ? SecretUri.HexSeed(phraseOrSeed) : Mnemonic.ToMiniSecret(phraseOrSeed);
        return (Sr25519KeyPair.FromMiniSecret(seed), isSeed ? null : phraseOrSeed, seed);
    }

    /// <summary>Writes a coldkey for <paramref name="phraseOrSeed"/> (a BIP-39 phrase, or <c>0x</c> and a 32-byte hex
    /// seed); encrypted when <paramref name="password"/> is given. Validates everything before writing anything.</summary>
    public byte[] WriteColdkey(string phraseOrSeed, string? password, bool overwrite = false)
    {
        var (pair, phrase, seed) = FromSecret(phraseOrSeed);
        Refuse(ColdkeyPath, overwrite);
        Refuse(ColdkeyPublicPath, overwrite);
        var secret = Encoding.UTF8.GetBytes(Keyfile.ToJson(pair, phrase, seed, publicOnly: false));
        var stored = password is null ? secret : Keyfile.Encrypt(secret, password);
        WriteSecretFile(ColdkeyPath, stored);
        WriteSecretFile(ColdkeyPublicPath, Encoding.UTF8.GetBytes(Keyfile.ToJson(pair, null, null, publicOnly: true)));
        return pair.PublicKey;
    }

    /// <summary>Writes an (unencrypted) hotkey for <paramref name="phraseOrSeed"/> (a BIP-39 phrase, or <c>0x</c> and a
    /// 32-byte hex seed).</summary>
    public byte[] WriteHotkey(string hotkey, string phraseOrSeed, bool overwrite = false)
    {
        if (hotkey.Length == 0 || hotkey.IndexOfAny(['/', '\\']) >= 0 || hotkey is "." or "..")
            throw new ArgumentException($"'{hotkey}' is not a valid hotkey name", nameof(hotkey));
        var (pair, phrase, seed) = FromSecret(phraseOrSeed);
        Refuse(HotkeyPath(hotkey), overwrite);
        WriteSecretFile(HotkeyPath(hotkey), Encoding.UTF8.GetBytes(Keyfile.ToJson(pair, phrase, seed, publicOnly: false)));
        WriteSecretFile(HotkeyPublicPath(hotkey), Encoding.UTF8.GetBytes(Keyfile.ToJson(pair, null, null, publicOnly: true)));
        return pair.PublicKey;
    }

    private static byte[] ReadFile(string path)
    {
        if (!File.Exists(path)) throw new KeyfileException($"{path} does not exist");
        return File.ReadAllBytes(path);
    }

    /// <summary>The coldkey's public key, from coldkeypub.txt (no password needed).</summary>
    public byte[] ColdkeyPublic() => Keyfile.PublicKeyOf(Encoding.UTF8.GetString(ReadFile(ColdkeyPublicPath)));

    /// <summary>A hotkey's public key.</summary>
    public byte[] HotkeyPublic(string hotkey) => Keyfile.PublicKeyOf(Encoding.UTF8.GetString(ReadFile(HotkeyPath(hotkey))));

    /// <summary>The coldkey pair, decrypting with <paramref name="password"/> if the file is encrypted.</summary>
    public Sr25519KeyPair LoadColdkey(string? password)
    {
        var file = ReadFile(ColdkeyPath);
        if (Keyfile.IsEncrypted(file))
        {
            if (password is null) throw new KeyfileException("the coldkey is encrypted; a password is needed");
            file = Keyfile.Decrypt(file, password);
        }
        var pair = Keyfile.KeyPairOf(Encoding.UTF8.GetString(file));
        if (File.Exists(ColdkeyPublicPath) && !ColdkeyPublic().AsSpan().SequenceEqual(pair.PublicKey))
            throw new KeyfileException("coldkeypub.txt does not match the coldkey: one of them was replaced or is corrupt");
        return pair;
    }

    /// <summary>The wallets under <paramref name="root"/> and their hotkeys, in name order.</summary>
    public static IReadOnlyList<(string Wallet, IReadOnlyList<string> Hotkeys)> List(string root)
    {
        if (!Directory.Exists(root)) return [];
        return Directory.GetDirectories(root).Order(StringComparer.Ordinal).Select(folder =>
        {
            var hotkeys = Path.Combine(folder, "hotkeys");
            IReadOnlyList<string> names = Directory.Exists(hotkeys)
                ? Directory.GetFiles(hotkeys).Select(Path.GetFileName).OfType<string>().Where(f => !f.EndsWith("pub.txt", StringComparison.Ordinal) && !f.Contains(".tmp-")).Order(StringComparer.Ordinal).ToList()
                : [];
            return (Path.GetFileName(folder), names);
        }).ToList();
    }
}
