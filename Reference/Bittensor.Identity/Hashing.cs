using System.Buffers.Binary;
using System.IO.Hashing;
using Org.BouncyCastle.Crypto.Digests;

namespace Bittensor.Identity;

/// <summary>The hashes Substrate uses: BLAKE2b (for SS58 checksums, key derivation, storage keys) and xxHash64-based
/// <c>twox</c> storage hashing.</summary>
public static class Hashing
{
    /// <summary>BLAKE2b, unkeyed, with a digest of <paramref name="bytes"/> bytes (1 to 64).</summary>
    public static byte[] Blake2b(ReadOnlySpan<byte> data, int bytes)
    {
        var digest = new Blake2bDigest(bytes * 8);
        digest.BlockUpdate(data);
        var output = new byte[bytes];
        digest.DoFinal(output, 0);
        return output;
    }

    public static byte[] Blake2b256(ReadOnlySpan<byte> data) => Blake2b(data, 32);
    public static byte[] Blake2b128(ReadOnlySpan<byte> data) => Blake2b(data, 16);

    /// <summary><c>Blake2_128Concat</c>: blake2b-128 of the key followed by the key itself.</summary>
    public static byte[] Blake2b128Concat(ReadOnlySpan<byte> data) => [.. Blake2b128(data), .. data];

    /// <summary><c>Twox</c> of <paramref name="bits"/> (64, 128 or 256) bits: xxHash64 with seeds 0, 1, 2, 3, each
    /// written little-endian, concatenated.</summary>
    public static byte[] Twox(ReadOnlySpan<byte> data, int bits)
    {
        if (bits is not (64 or 128 or 256)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "twox is 64, 128 or 256 bits");
        var output = new byte[bits / 8];
        for (var i = 0; i < bits / 64; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(i * 8), XxHash64.HashToUInt64(data, i));
        return output;
    }

    /// <summary><c>Twox64Concat</c>: twox64 of the key followed by the key itself.</summary>
    public static byte[] Twox64Concat(ReadOnlySpan<byte> data) => [.. Twox(data, 64), .. data];
}
