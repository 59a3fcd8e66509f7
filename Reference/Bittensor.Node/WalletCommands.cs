using Bittensor.Identity;

namespace Bittensor.Node;

/// <summary>
/// <c>bittensor-node wallet …</c>: create, regenerate, list and show bittensor wallets. Secrets never reach the screen
/// unless asked (<c>--print-mnemonic</c>); passwords and mnemonics are read from environment variables named on the
/// command line, so they stay out of shell history and process listings.
/// </summary>
public static class WalletCommands
{
    public const string Usage =
        """
        wallet commands (all take --wallet-path DIR, default $BT_WALLET_PATH or ~/.bittensor/wallets):
          wallet create --name W [--hotkey H] [--words 12|15|18|21|24] [--password-env VAR] [--print-mnemonic]
                        a new coldkey (encrypted with the password in $VAR; unencrypted without --password-env)
                        and hotkey H (default "default")
          wallet new-hotkey --name W --hotkey H [--words N] [--print-mnemonic]
          wallet regen-coldkey --name W (--mnemonic-env VAR | --seed-env VAR) [--password-env VAR] [--overwrite]
          wallet regen-hotkey --name W --hotkey H (--mnemonic-env VAR | --seed-env VAR) [--overwrite]
                        from a BIP-39 mnemonic, or from a seed: 0x and 64 hex digits (btcli's --seed)
          wallet list
          wallet show --name W        the coldkey's and each hotkey's SS58 address
        """;

    private static Dictionary<string, string> Options(string[] args, TextWriter error, out bool ok, params string[] flags)
    {
        var options = new Dictionary<string, string>();
        ok = true;
        for (var i = 0; i < args.Length; i++)
        {
            if (flags.Contains(args[i])) { options[args[i]] = "true"; continue; }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error.WriteLine($"bittensor-node: unexpected '{args[i]}' (options take a value: --name W)");
                ok = false;
                return options;
            }
            options[args[i]] = args[++i];
        }
        return options;
    }

    private static string? FromEnvironment(Dictionary<string, string> options, string option, TextWriter error, out bool ok)
    {
        ok = true;
        if (!options.TryGetValue(option, out var variable)) return null;
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            error.WriteLine($"bittensor-node: {option} names ${variable}, which is not set");
            ok = false;
        }
        return value;
    }

    /// <summary>The secret to regenerate from: the mnemonic in --mnemonic-env's variable or the hex seed in
    /// --seed-env's, exactly one of them.</summary>
    private static string? Secret(Dictionary<string, string> options, string command, TextWriter error)
    {
        var phrase = FromEnvironment(options, "--mnemonic-env", error, out var okPhrase);
        var seed = FromEnvironment(options, "--seed-env", error, out var okSeed);
        if (!okPhrase || !okSeed) return null;
        if ((phrase is null) == (seed is null))
        {
            error.WriteLine($"bittensor-node: wallet {command} needs one of --mnemonic-env VAR and --seed-env VAR");
            return null;
        }
        if (seed is not null && !SecretUri.IsHexSeed(seed))
        {
            error.WriteLine($"bittensor-node: the seed in ${options["--seed-env"]} must start with 0x (then 64 hex digits)");
            return null;
        }
        if (phrase is not null && SecretUri.IsHexSeed(phrase))
        {
            error.WriteLine($"bittensor-node: ${options["--mnemonic-env"]} holds a hex seed, not a mnemonic; pass it with --seed-env");
            return null;
        }
        return phrase ?? seed;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0) { error.Write(Usage); return Cli.UsageError; }
        var options = Options(args[1..], error, out var parsed, "--print-mnemonic", "--overwrite");
        if (!parsed) return Cli.UsageError;
        var root = options.GetValueOrDefault("--wallet-path", Wallet.DefaultRoot);
        var wordCount = 12;
        if (options.TryGetValue("--words", out var words) && (!int.TryParse(words, out wordCount) || wordCount is not (12 or 15 or 18 or 21 or 24)))
        {
            error.WriteLine($"bittensor-node: --words is 12, 15, 18, 21 or 24, got '{words}'");
            return Cli.UsageError;
        }
        string? NameOrFail()
        {
            if (options.TryGetValue("--name", out var n) && n.Length > 0) return n;
            error.WriteLine($"bittensor-node: wallet {args[0]} needs --name");
            return null;
        }
        try
        {
            switch (args[0])
            {
                case "create":
                {
                    if (NameOrFail() is not { } name) return Cli.UsageError;
                    var password = FromEnvironment(options, "--password-env", error, out var ok);
                    if (!ok) return Cli.UsageError;
                    var wallet = new Wallet(root, name);
                    var coldPhrase = Mnemonic.Generate(wordCount);
                    var hotPhrase = Mnemonic.Generate(wordCount);
                    var hotkey = options.GetValueOrDefault("--hotkey", "default");
                    var cold = wallet.WriteColdkey(coldPhrase, password);
                    var hot = wallet.WriteHotkey(hotkey, hotPhrase);
                    output.WriteLine($"coldkey {Ss58.Encode(cold)}{(password is null ? " (not encrypted)" : " (encrypted)")} in {wallet.ColdkeyPath}");
                    output.WriteLine($"hotkey {hotkey} {Ss58.Encode(hot)} in {wallet.HotkeyPath(hotkey)}");
                    if (options.ContainsKey("--print-mnemonic"))
                    {
                        output.WriteLine($"coldkey mnemonic: {coldPhrase}");
                        output.WriteLine($"hotkey mnemonic: {hotPhrase}");
                    }
                    else output.WriteLine("the mnemonics are stored in the key files; pass --print-mnemonic to see them once and back them up");
                    return 0;
                }
                case "new-hotkey":
                {
                    if (NameOrFail() is not { } name) return Cli.UsageError;
                    if (!options.TryGetValue("--hotkey", out var hotkey)) { error.WriteLine("bittensor-node: wallet new-hotkey needs --hotkey"); return Cli.UsageError; }
                    var phrase = Mnemonic.Generate(wordCount);
                    var key = new Wallet(root, name).WriteHotkey(hotkey, phrase, options.ContainsKey("--overwrite"));
                    output.WriteLine($"hotkey {hotkey} {Ss58.Encode(key)}");
                    if (options.ContainsKey("--print-mnemonic")) output.WriteLine($"hotkey mnemonic: {phrase}");
                    return 0;
                }
                case "regen-coldkey":
                {
                    if (NameOrFail() is not { } name) return Cli.UsageError;
                    var password = FromEnvironment(options, "--password-env", error, out var okPassword);
                    if (!okPassword || Secret(options, "regen-coldkey", error) is not { } secret) return Cli.UsageError;
                    var key = new Wallet(root, name).WriteColdkey(secret, password, options.ContainsKey("--overwrite"));
                    output.WriteLine($"coldkey {Ss58.Encode(key)} regenerated");
                    return 0;
                }
                case "regen-hotkey":
                {
                    if (NameOrFail() is not { } name) return Cli.UsageError;
                    if (!options.TryGetValue("--hotkey", out var hotkey)) { error.WriteLine("bittensor-node: wallet regen-hotkey needs --hotkey"); return Cli.UsageError; }
                    if (Secret(options, "regen-hotkey", error) is not { } secret) return Cli.UsageError;
                    var key = new Wallet(root, name).WriteHotkey(hotkey, secret, options.ContainsKey("--overwrite"));
                    output.WriteLine($"hotkey {hotkey} {Ss58.Encode(key)} regenerated");
                    return 0;
                }
                case "list":
                    foreach (var (wallet, hotkeys) in Wallet.List(root))
                        output.WriteLine($"{wallet}: {(hotkeys.Count == 0 ? "no hotkeys" : string.Join(", ", hotkeys))}");
                    return 0;
                case "show":
                {
                    if (NameOrFail() is not { } name) return Cli.UsageError;
                    var wallet = new Wallet(root, name);
                    output.WriteLine($"coldkey  {Ss58.Encode(wallet.ColdkeyPublic())}");
                    foreach (var hotkey in Wallet.List(root).Where(w => w.Wallet == name).SelectMany(w => w.Hotkeys))
                        output.WriteLine($"hotkey {hotkey}  {Ss58.Encode(wallet.HotkeyPublic(hotkey))}");
                    return 0;
                }
                default:
                    error.WriteLine($"bittensor-node: unknown wallet command '{args[0]}'");
                    error.Write(Usage);
                    return Cli.UsageError;
            }
        }
        catch (Exception e) when (e is MnemonicException or SecretUriException or KeyfileException or IOException or ArgumentException)
        {
            error.WriteLine($"bittensor-node: {e.Message}");
            return 1;
        }
    }
}
