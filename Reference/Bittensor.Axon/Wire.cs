using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Identity;

namespace Bittensor.Axon;

/// <summary>Why the default verifier refuses a nonce (the spec's <c>NonceRefusal</c>).</summary>
public enum NonceRefusal { NonceMissing, NonceTooOld, NonceNotIncreasing }

/// <summary>
/// The wire rules of <c>Spec/Wire/Synapse.fs</c>, mirrored: Python's <c>str()</c> of a hashed field, the body hash, the
/// signed request and response messages, <c>version_as_int</c> and the nonce rule. The <c>wire</c> vectors pin both.
/// </summary>
public static class Wire
{
    /// <summary>SDK 7.2.0: from this version on dendrites send wall-clock nonces and the time window applies.</summary>
    public const long WallClockNonceVersion = 7_002_000;
    /// <summary>How much older than its own timeout a first request may be: 4 s.</summary>
    public const long AllowedDeltaNs = 4_000_000_000;

    /// <summary>Python's <c>str</c> of a JSON value as pydantic dumps it. Floats are refused: their Python
    /// rendering is not part of the specified wire, so no synapse of ours hashes one.</summary>
    public static string PyStr(JsonNode? value) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Repr(value);

    /// <summary>Python's <c>repr</c> of a JSON value.</summary>
    public static string Repr(JsonNode? value) => value switch
    {
        null => "None",
        JsonArray a => "[" + string.Join(", ", a.Select(Repr)) + "]",
        JsonObject o => "{" + string.Join(", ", o.Select(kv => ReprString(kv.Key) + ": " + Repr(kv.Value))) + "}",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => ReprString(v.GetValue<string>()),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.Null => "None",
            JsonValueKind.Number when BigInteger.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i.ToString(CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"a hashed synapse field holds {v.ToJsonString()}: only strings, integers, booleans, null, lists and dicts can be hashed"),
        },
        _ => throw new NotSupportedException("unknown JSON node"),
    };

    /// <summary>Python's <c>repr(str)</c>: see the spec's <c>reprString</c> for the quoting and escaping rules.</summary>
    public static string ReprString(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (var rune in s.EnumerateRunes())
        {
            var v = rune.Value;
            if (v == quote || v == '\\') text.Append('\\').Append((char)v);
            else if (v == '\t') text.Append("\\t");
            else if (v == '\n') text.Append("\\n");
            else if (v == '\r') text.Append("\\r");
            else if (IsPrintable(rune)) text.Append(rune.ToString());
            else if (v < 0x100) text.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture));
            else if (v < 0x10000) text.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture));
            else text.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture));
        }
        return text.Append(quote).ToString();
    }

    private static bool IsPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or
        UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);

    /// <summary>Lower-case hex SHA3-256 of UTF-8 text.</summary>
    public static string Sha3Hex(string text) => Convert.ToHexStringLower(SHA3_256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>SHA3-256 of the concatenated SHA3-256 hex digests of <c>str(value)</c> of each required hash field.</summary>
    public static string BodyHash(IEnumerable<JsonNode?> requiredFieldValues) => Sha3Hex(string.Concat(requiredFieldValues.Select(v => Sha3Hex(PyStr(v)))));

    /// <summary><c>"{nonce}.{dendrite hotkey}.{axon hotkey}.{dendrite uuid}.{body hash}"</c>, signed by the dendrite.</summary>
    public static string RequestMessage(long nonce, string dendriteHotkey, string axonHotkey, string uuid, string bodyHash) =>
        string.Join('.', nonce.ToString(CultureInfo.InvariantCulture), dendriteHotkey, axonHotkey, uuid, bodyHash);

    /// <summary><c>"{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}"</c>, signed by the axon on its response.</summary>
    public static string ResponseMessage(long axonNonce, string dendriteHotkey, string axonHotkey, string axonUuid) =>
        string.Join('.', axonNonce.ToString(CultureInfo.InvariantCulture), dendriteHotkey, axonHotkey, axonUuid);

    /// <summary>The SDK's <c>version_as_int</c>; null for text that is not "major.minor.patch" with minor and patch
    /// below 1000, or whose value would not fit a long.</summary>
    public static long? VersionAsInt(string version)
    {
        var parts = version.Split('.');
        if (parts.Length != 3) return null;
        var values = new long[3];
        for (var i = 0; i < 3; i++)
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])) return null;
        if (values[1] >= 1000 || values[2] >= 1000 || values[0] > (long.MaxValue - 999_999) / 1_000_000) return null;
        return values[0] * 1_000_000 + values[1] * 1_000 + values[2];
    }

    /// <summary>The default verifier's nonce rule; null when accepted (the caller then stores the nonce).</summary>
    public static NonceRefusal? CheckNonce(long nowNs, long timeoutNs, long dendriteVersion, long? lastAccepted, long? nonce) => (nonce, lastAccepted) switch
    {
        (null, _) => NonceRefusal.NonceMissing,
        ({ } n, { } last) when n <= last => NonceRefusal.NonceNotIncreasing,
        ({ } n, null) when dendriteVersion >= WallClockNonceVersion && n <= nowNs - AllowedDeltaNs - timeoutNs => NonceRefusal.NonceTooOld,
        _ => null,
    };

    /// <summary>The axon's signature check: the message rebuilt with <paramref name="axonHotkey"/> (its own), verified
    /// against the dendrite hotkey's key, raw or wrapped as <c>&lt;Bytes&gt;…&lt;/Bytes&gt;</c>.</summary>
    public static bool VerifyRequest(long nonce, string dendriteHotkey, string axonHotkey, string uuid, string bodyHash, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64) return false;
        byte[] publicKey;
        try { publicKey = Ss58.Decode(dendriteHotkey).PublicKey; }
        catch (Exception e) when (e is FormatException or ArgumentException) { return false; }
        var message = RequestMessage(nonce, dendriteHotkey, axonHotkey, uuid, bodyHash);
        return Sr25519KeyPair.Verify(signature, Encoding.UTF8.GetBytes(message), publicKey)
            || Sr25519KeyPair.Verify(signature, Encoding.UTF8.GetBytes("<Bytes>" + message + "</Bytes>"), publicKey);
    }

    /// <summary>Wall-clock time in nanoseconds since the Unix epoch (Python's <c>time.time_ns()</c>).</summary>
    public static long NowNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>Seconds as nanoseconds, rounded; NaN and negatives are 0, huge values saturate.</summary>
    public static long SecondsToNs(double seconds) => double.IsNaN(seconds) || seconds <= 0 ? 0 : seconds >= 9e9 ? long.MaxValue / 2 : (long)Math.Round(seconds * 1e9);

    /// <summary>Python's <c>str(float)</c> for the timeout header: "12.0", "0.5".</summary>
    public static string PyFloat(double value) => double.IsInteger(value) && Math.Abs(value) < 1e16
        ? value.ToString("0", CultureInfo.InvariantCulture) + ".0"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
