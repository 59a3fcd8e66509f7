using System.Globalization;

namespace Bittensor.Identity;

/// <summary>A secret URI that cannot be parsed or used; the message says why.</summary>
public sealed class SecretUriException(string message) : FormatException(message);

/// <summary>One step of a derivation path: hard (<c>//name</c>) or soft (<c>/name</c>), with its 32-byte chain code.</summary>
public readonly record struct Junction(bool Hard, byte[] ChainCode)
{
    /// <summary>The chain code of a junction's text, as Substrate makes it: a decimal number is its SCALE u64, anything
    /// else its SCALE string; codes longer than 32 bytes are hashed with BLAKE2b-256, shorter ones zero-padded.</summary>
    public static Junction Parse(string text, bool hard)
    {
        var encoded = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new ScaleWriter().U64(number).ToArray()
            : new ScaleWriter().Str(text).ToArray();
        var code = new byte[32];
        if (encoded.Length > 32) encoded = Hashing.Blake2b256(encoded);
        encoded.CopyTo(code, 0);
        return new Junction(hard, code);
    }
}

/// <summary>
/// A Substrate secret URI: <c>phrase//hard/soft///password</c>. A URI that starts with a junction uses the
/// development phrase (<c>//Alice</c>). Instead of a phrase, <c>0x</c> and 64 hex digits give the 32-byte seed itself
/// (the mini secret for sr25519, the seed for ed25519); a password then has no effect, as in sp-core's
/// <c>Pair::from_string_with_seed</c>. Mirrors sp-core's <c>SecretUri</c>.
/// </summary>
public sealed record SecretUri(string Phrase, IReadOnlyList<Junction> Junctions, string Password)
{
    /// <summary>The 32-byte seed this URI starts from: the hex seed itself, or the phrase's mini secret (with the
    /// password).</summary>
    /// <exception cref="SecretUriException">A <c>0x</c> seed that is not 64 hex digits.</exception>
    /// <exception cref="MnemonicException">A phrase that is not a valid BIP-39 mnemonic.</exception>
    public byte[] Seed() => IsHexSeed(Phrase) ? HexSeed(Phrase) : Mnemonic.ToMiniSecret(Phrase, Password);

    /// <summary>Whether <paramref name="text"/> is meant as a hex seed (it starts with <c>0x</c>) rather than a phrase.</summary>
    public static bool IsHexSeed(string text) => text.StartsWith("0x", StringComparison.Ordinal);

    /// <summary>The 32 bytes of a hex seed, <c>0x</c> and 64 hex digits.</summary>
    /// <exception cref="SecretUriException">Anything else; the message says what is there instead.</exception>
    public static byte[] HexSeed(string text)
    {
        if (!IsHexSeed(text)) throw new SecretUriException("a hex seed starts with 0x");
        var digits = text[2..];
        if (digits.Length != 64 || !digits.All(char.IsAsciiHexDigit))
            throw new SecretUriException($"a hex seed is 0x and 64 hex digits (32 bytes); this one has {digits.Length} characters after 0x");
        return Convert.FromHexString(digits);
    }

    public static SecretUri Parse(string uri)
    {
        var passwordAt = uri.IndexOf("///", StringComparison.Ordinal);
        var password = passwordAt >= 0 ? uri[(passwordAt + 3)..] : "";
        var rest = passwordAt >= 0 ? uri[..passwordAt] : uri;
        var pathAt = rest.IndexOf('/');
        var phrase = (pathAt >= 0 ? rest[..pathAt] : rest).Trim();
        if (phrase.Length == 0) phrase = Mnemonic.DevPhrase;
        var junctions = new List<Junction>();
        var path = pathAt >= 0 ? rest[pathAt..] : "";
        var i = 0;
        while (i < path.Length)
        {
            var hard = i + 1 < path.Length && path[i + 1] == '/';
            var start = i + (hard ? 2 : 1);
            var end = path.IndexOf('/', start);
            if (end < 0) end = path.Length;
            var name = path[start..end];
            if (name.Length == 0) throw new SecretUriException($"empty junction at position {pathAt + i} of the secret URI");
            junctions.Add(Junction.Parse(name, hard));
            i = end;
        }
        return new SecretUri(phrase, junctions, password);
    }

    /// <summary>The sr25519 key this URI names: its seed expanded, then each junction, hard or soft.</summary>
    public Sr25519KeyPair ToSr25519()
    {
        var key = Sr25519KeyPair.FromMiniSecret(Seed());
        foreach (var junction in Junctions)
            key = junction.Hard ? key.DeriveHard(junction.ChainCode) : key.DeriveSoft(junction.ChainCode);
        return key;
    }

    /// <summary>The ed25519 key this URI names: its seed, then each junction (hard only).</summary>
    public Ed25519KeyPair ToEd25519()
    {
        var key = new Ed25519KeyPair(Seed());
        foreach (var junction in Junctions)
        {
            if (!junction.Hard) throw new SecretUriException("ed25519 keys have only hard derivation (//name), not soft (/name)");
            key = key.DeriveHard(junction.ChainCode);
        }
        return key;
    }
}
