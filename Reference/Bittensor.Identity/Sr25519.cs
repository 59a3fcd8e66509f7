using System.Security.Cryptography;

namespace Bittensor.Identity;

/// <summary>
/// An sr25519 (Schnorr over Ristretto255, schnorrkel) key pair as Substrate makes it: a 32-byte mini secret expanded
/// in Ed25519 mode (SHA-512, clamp, divide by the cofactor: the secret scalar and a 32-byte nonce), the public key
/// the scalar times the Ristretto base point (libsodium). Hard derivation is schnorrkel's
/// <c>hard_derive_mini_secret_key</c>: a Merlin transcript "SchnorrRistrettoHDKD" over the chain code and the secret
/// scalar yields the next mini secret.
/// </summary>
public sealed class Sr25519KeyPair
{
    /// <summary>The secret scalar (little-endian, reduced).</summary>
    public byte[] SecretScalar { get; }
    /// <summary>The nonce half of the expanded secret, used when signing.</summary>
    public byte[] Nonce { get; }
    /// <summary>The compressed Ristretto point.</summary>
    public byte[] PublicKey { get; }

    private Sr25519KeyPair(byte[] scalar, byte[] nonce)
    {
        Sodium.Ensure();
        SecretScalar = scalar;
        Nonce = nonce;
        PublicKey = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255_base(PublicKey, scalar) != 0) throw new CryptographicException("sr25519: the secret scalar is zero");
    }

    /// <summary>Expands a 32-byte mini secret (Ed25519 mode, as Substrate does).</summary>
    public static Sr25519KeyPair FromMiniSecret(ReadOnlySpan<byte> miniSecret)
    {
        if (miniSecret.Length != 32) throw new ArgumentException($"an sr25519 mini secret is 32 bytes, got {miniSecret.Length}", nameof(miniSecret));
        var h = SHA512.HashData(miniSecret);
        var key = h[..32];
        key[0] &= 248;
        key[31] &= 63;
        key[31] |= 64;
        DivideByCofactor(key);
        return new Sr25519KeyPair(key, h[32..]);
    }

    /// <summary>Shifts a little-endian 256-bit number right by three bits.</summary>
    private static void DivideByCofactor(byte[] scalar)
    {
        byte low = 0;
        for (var i = scalar.Length - 1; i >= 0; i--)
        {
            var remainder = (byte)(scalar[i] & 0b111);
            scalar[i] = (byte)((scalar[i] >> 3) + low);
            low = (byte)(remainder << 5);
        }
    }

    /// <summary>The key derived through one hard junction (Substrate's <c>//name</c>).</summary>
    public Sr25519KeyPair DeriveHard(ReadOnlySpan<byte> chainCode)
    {
        if (chainCode.Length != 32) throw new ArgumentException("a chain code is 32 bytes", nameof(chainCode));
        var transcript = new Transcript("SchnorrRistrettoHDKD");
        transcript.AppendMessage("sign-bytes"u8, []);
        transcript.AppendMessage("chain-code"u8, chainCode);
        transcript.AppendMessage("secret-key"u8, SecretScalar);
        var miniSecret = new byte[32];
        transcript.ChallengeBytes("HDKD-hard"u8, miniSecret);
        return FromMiniSecret(miniSecret);
    }
}
