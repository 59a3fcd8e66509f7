using System.Numerics;

namespace Bittensor.Identity;

/// <summary>An SS58 address that cannot be decoded; the message says why.</summary>
public sealed class Ss58FormatException(string message) : FormatException(message);

/// <summary>
/// SS58 addresses: base58 of (network prefix ‖ public key ‖ checksum), where the checksum is the first two bytes of
/// BLAKE2b-512("SS58PRE" ‖ prefix ‖ key). Prefixes 0–63 take one byte, 64–16383 two. Bittensor uses prefix 42 (the
/// generic Substrate prefix). Mirrors <c>Ss58Codec</c> in sp-core.
/// </summary>
public static class Ss58
{
    public const ushort BittensorPrefix = 42;
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly byte[] Preamble = "SS58PRE"u8.ToArray();

    private static byte[] PrefixBytes(ushort prefix) => prefix switch
    {
        < 64 => [(byte)prefix],
        < 16384 => [(byte)(((prefix & 0b1111_1100) >> 2) | 0b0100_0000), (byte)((prefix >> 8) | ((prefix & 0b11) << 6))],
        _ => throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "SS58 prefixes are below 16384"),
    };

    private static byte[] Checksum(ReadOnlySpan<byte> prefixAndKey) => Hashing.Blake2b([.. Preamble, .. prefixAndKey], 64)[..2];

    /// <summary>The SS58 address of a 32-byte public key.</summary>
    public static string Encode(ReadOnlySpan<byte> publicKey, ushort prefix = BittensorPrefix)
    {
        if (publicKey.Length != 32) throw new ArgumentException($"a public key is 32 bytes, got {publicKey.Length}", nameof(publicKey));
        byte[] body = [.. PrefixBytes(prefix), .. publicKey];
        return Base58Encode([.. body, .. Checksum(body)]);
    }

    /// <summary>The network prefix and 32-byte public key of an SS58 address.</summary>
    /// <exception cref="Ss58FormatException">Not base58, a length that is not a 32-byte key, a bad prefix or checksum.</exception>
    public static (ushort Prefix, byte[] PublicKey) Decode(string address)
    {
        var data = Base58Decode(address);
        if (data.Length == 0) throw new Ss58FormatException("empty SS58 address");
        int prefixLength;
        ushort prefix;
        if (data[0] < 64) { prefixLength = 1; prefix = data[0]; }
        else if (data[0] < 128)
        {
            if (data.Length < 2) throw new Ss58FormatException("SS58 address too short for its two-byte prefix");
            prefixLength = 2;
            var lower = (byte)((data[0] << 2) | (data[1] >> 6));
            var upper = (byte)(data[1] & 0b0011_1111);
            prefix = (ushort)(lower | (upper << 8));
        }
        else throw new Ss58FormatException($"SS58 prefix byte {data[0]} is reserved");
        var keyLength = data.Length - prefixLength - 2;
        if (keyLength != 32) throw new Ss58FormatException($"SS58 address holds {Math.Max(keyLength, 0)} key bytes; an account key is 32");
        var body = data.AsSpan(0, prefixLength + 32);
        if (!Checksum(body).AsSpan().SequenceEqual(data.AsSpan(prefixLength + 32, 2)))
            throw new Ss58FormatException("SS58 checksum does not match: the address is mistyped or corrupted");
        return (prefix, data[prefixLength..(prefixLength + 32)]);
    }

    private static string Base58Encode(ReadOnlySpan<byte> data)
    {
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var chars = new List<char>();
        while (value > 0)
        {
            value = BigInteger.DivRem(value, 58, out var remainder);
            chars.Add(Alphabet[(int)remainder]);
        }
        foreach (var b in data) { if (b != 0) break; chars.Add('1'); }
        chars.Reverse();
        return new string([.. chars]);
    }

    private static byte[] Base58Decode(string text)
    {
        BigInteger value = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var digit = Alphabet.IndexOf(text[i]);
            if (digit < 0) throw new Ss58FormatException($"'{text[i]}' at position {i} is not a base58 character");
            value = value * 58 + digit;
        }
        var leadingZeros = text.TakeWhile(c => c == '1').Count();
        var bytes = value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[leadingZeros], .. bytes];
    }
}
