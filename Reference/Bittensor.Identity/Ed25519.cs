namespace Bittensor.Identity;

/// <summary>
/// An ed25519 key pair from a 32-byte seed (libsodium), with Substrate's hard derivation: a hard junction with chain
/// code <c>cc</c> turns seed <c>s</c> into <c>blake2b-256(SCALE("Ed25519HDKD", s, cc))</c>. ed25519 has no soft
/// derivation.
/// </summary>
public sealed class Ed25519KeyPair
{
    private readonly byte[] _secretKey; // libsodium's 64-byte form: seed ‖ public key

    public byte[] Seed { get; }
    public byte[] PublicKey { get; }

    public Ed25519KeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32) throw new ArgumentException($"an ed25519 seed is 32 bytes, got {seed.Length}", nameof(seed));
        Sodium.Ensure();
        Seed = seed.ToArray();
        PublicKey = new byte[32];
        _secretKey = new byte[64];
        if (Sodium.crypto_sign_seed_keypair(PublicKey, _secretKey, seed) != 0) throw new InvalidOperationException("libsodium could not make a key pair");
    }

    /// <summary>The key derived through one hard junction.</summary>
    public Ed25519KeyPair DeriveHard(ReadOnlySpan<byte> chainCode)
    {
        if (chainCode.Length != 32) throw new ArgumentException("a chain code is 32 bytes", nameof(chainCode));
        var input = new ScaleWriter().Str("Ed25519HDKD").Fixed(Seed).Fixed(chainCode).ToArray();
        return new Ed25519KeyPair(Hashing.Blake2b256(input));
    }

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[64];
        Sodium.crypto_sign_detached(signature, out _, message, (ulong)message.Length, _secretKey);
        return signature;
    }

    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey)
    {
        if (signature.Length != 64 || publicKey.Length != 32) return false;
        Sodium.Ensure();
        return Sodium.crypto_sign_verify_detached(signature, message, (ulong)message.Length, publicKey) == 0;
    }
}
