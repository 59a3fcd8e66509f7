using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bittensor.Identity;

/// <summary>A keyfile that cannot be read: wrong password, corrupt or truncated data, or missing fields. The message
/// says which; nothing is written when this is thrown.</summary>
public sealed class KeyfileException(string message) : Exception(message);

/// <summary>
/// Bittensor's keyfile: a JSON object (<c>accountId</c>, <c>publicKey</c>, <c>privateKey</c> (64 bytes: scalar ‖ nonce),
/// <c>secretPhrase</c>, <c>secretSeed</c>, <c>ss58Address</c>), optionally encrypted in the NaCl format: <c>$NACL</c> ‖
/// 24-byte nonce ‖ secretbox(XSalsa20-Poly1305) under a key from argon2i13 (libsodium's "sensitive" limits: 8 passes,
/// 512 MiB) of the password with bittensor's fixed salt.
/// </summary>
public static class Keyfile
{
    public const string NaclPrefix = "$NACL";
    private static readonly byte[] Salt = Convert.FromHexString("137183dff15a09bc9c90b5518739e9b1");

    /// <summary>The plaintext JSON for a key made from a phrase (or a raw seed when the phrase is null).</summary>
    public static string ToJson(Sr25519KeyPair pair, string? phrase, byte[]? seed, bool publicOnly)
    {
        var hex = "0x" + Convert.ToHexStringLower(pair.PublicKey);
        var json = new JsonObject { ["accountId"] = hex, ["publicKey"] = hex, ["ss58Address"] = Ss58.Encode(pair.PublicKey) };
        if (!publicOnly)
        {
            json["privateKey"] = "0x" + Convert.ToHexStringLower([.. pair.SecretScalar, .. pair.Nonce]);
            if (phrase is not null) json["secretPhrase"] = phrase;
            if (seed is not null) json["secretSeed"] = "0x" + Convert.ToHexStringLower(seed);
        }
        return json.ToJsonString();
    }

    /// <summary>The public key of a keyfile's JSON (any of its forms), checking that its fields agree.</summary>
    public static byte[] PublicKeyOf(string json)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException e) { throw new KeyfileException($"the keyfile is not valid JSON ({e.Message})"); }
        if (node is not JsonObject o) throw new KeyfileException("the keyfile is not a JSON object");
        string? Field(string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        byte[]? fromSecret = null;
        if (Field("secretPhrase") is { } phrase) fromSecret = FromPhrase(phrase).PublicKey;
        else if (Field("secretSeed") is { } seedHex) fromSecret = Sr25519KeyPair.FromMiniSecret(Hex(seedHex, 32, "secretSeed")).PublicKey;
        var stated = Field("publicKey") ?? Field("accountId");
        var statedKey = stated is null ? null : Hex(stated, 32, "publicKey");
        if (fromSecret is not null && statedKey is not null && !fromSecret.AsSpan().SequenceEqual(statedKey))
            throw new KeyfileException("the keyfile's publicKey does not match its secret: the file is corrupt");
        if (fromSecret is not null) return fromSecret;
        if (statedKey is not null) return statedKey;
        if (Field("ss58Address") is { } address)
        {
            try { return Ss58.Decode(address).PublicKey; }
            catch (Ss58FormatException e) { throw new KeyfileException($"the keyfile's ss58Address is invalid: {e.Message}"); }
        }
        throw new KeyfileException("the keyfile has none of secretPhrase, secretSeed, publicKey, accountId, ss58Address");
    }

    /// <summary>The sr25519 key pair of a keyfile's JSON: from <c>secretPhrase</c>, else <c>secretSeed</c>.</summary>
    public static Sr25519KeyPair KeyPairOf(string json)
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new KeyfileException("the keyfile is not a JSON object");
        if (o["secretPhrase"] is JsonValue p && p.TryGetValue<string>(out var phrase)) return FromPhrase(phrase);
        if (o["secretSeed"] is JsonValue s && s.TryGetValue<string>(out var seed)) return Sr25519KeyPair.FromMiniSecret(Hex(seed, 32, "secretSeed"));
        throw new KeyfileException("the keyfile holds no secret (only a public key)");
    }

    private static Sr25519KeyPair FromPhrase(string phrase)
    {
        try { return Sr25519KeyPair.FromMiniSecret(Mnemonic.ToMiniSecret(phrase)); }
        catch (MnemonicException e) { throw new KeyfileException($"the keyfile's secretPhrase is invalid: {e.Message}"); }
    }

    private static byte[] Hex(string text, int length, string field)
    {
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length != 2 + 2 * length)
            throw new KeyfileException($"the keyfile's {field} is not 0x followed by {2 * length} hex digits");
        try { return Convert.FromHexString(text[2..]); }
        catch (FormatException) { throw new KeyfileException($"the keyfile's {field} has a character that is not hex"); }
    }

    private static byte[] KeyFromPassword(string password)
    {
        Sodium.Ensure();
        var key = new byte[32];
        var bytes = Encoding.UTF8.GetBytes(password);
        if (Sodium.crypto_pwhash(key, 32, bytes, (ulong)bytes.Length, Salt, Sodium.PwhashArgon2iOpsLimitSensitive,
                Sodium.PwhashArgon2iMemLimitSensitive, Sodium.PwhashAlgArgon2i13) != 0)
            throw new InvalidOperationException("argon2i could not run (not enough memory?)");
        return key;
    }

    /// <summary>Encrypts keyfile data in the NaCl format.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> data, string password)
    {
        var key = KeyFromPassword(password);
        var nonce = RandomNumberGenerator.GetBytes(24);
        var box = new byte[data.Length + 16];
        Sodium.crypto_secretbox_easy(box, data, (ulong)data.Length, nonce, key);
        return [.. Encoding.ASCII.GetBytes(NaclPrefix), .. nonce, .. box];
    }

    public static bool IsEncrypted(ReadOnlySpan<byte> file) => file.StartsWith("$NACL"u8) || file.StartsWith("$ANSIBLE_VAULT"u8) || file.StartsWith("gAAAAA"u8);

    /// <summary>Decrypts a NaCl keyfile.</summary>
    /// <exception cref="KeyfileException">Not NaCl (a legacy format), truncated, or the wrong password.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> file, string password)
    {
        if (!file.StartsWith("$NACL"u8))
            throw new KeyfileException(file.StartsWith("$ANSIBLE_VAULT"u8) || file.StartsWith("gAAAAA"u8)
                ? "this keyfile uses a legacy encryption (Ansible Vault or Fernet) that is not supported; re-encrypt it with the bittensor tools"
                : "this keyfile is not encrypted in the NaCl format");
        var body = file[NaclPrefix.Length..];
        if (body.Length < 24 + 16) throw new KeyfileException($"the encrypted keyfile is truncated ({file.Length} bytes)");
        var key = KeyFromPassword(password);
        var message = new byte[body.Length - 24 - 16];
        if (Sodium.crypto_secretbox_open_easy(message, body[24..], (ulong)(body.Length - 24), body[..24], key) != 0)
            throw new KeyfileException("wrong password, or the encrypted keyfile is corrupt");
        return message;
    }
}
