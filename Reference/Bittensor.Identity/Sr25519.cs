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

    private Sr25519KeyPair(byte[] scalar, byte[] nonce, byte[] publicKey)
    {
        SecretScalar = scalar;
        Nonce = nonce;
        PublicKey = publicKey;
    }

    /// <summary>schnorrkel's <c>derive_scalar_and_chaincode</c>: the tweak scalar a soft junction adds to the key.</summary>
    private static byte[] SoftScalar(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> chainCode, out Transcript transcript)
    {
        transcript = new Transcript("SchnorrRistrettoHDKD");
        transcript.AppendMessage("sign-bytes"u8, []);
        transcript.AppendMessage("chain-code"u8, chainCode);
        transcript.AppendMessage("public-key"u8, publicKey);
        var scalar = ChallengeScalar(transcript, "HDKD-scalar"u8);
        var nextChainCode = new byte[32];
        transcript.ChallengeBytes("HDKD-chaincode"u8, nextChainCode);
        return scalar;
    }

    /// <summary>The key derived through one soft junction (Substrate's <c>/name</c>, schnorrkel's
    /// <c>derived_key_simple</c>): secret + t and public + t·B for the transcript's tweak t, so the public key can be
    /// derived without the secret (<see cref="DerivePublicSoft"/>). The new nonce is drawn from the transcript, the
    /// old nonce, the secret and fresh randomness, as schnorrkel does.</summary>
    public Sr25519KeyPair DeriveSoft(ReadOnlySpan<byte> chainCode)
    {
        if (chainCode.Length != 32) throw new ArgumentException("a chain code is 32 bytes", nameof(chainCode));
        var tweak = SoftScalar(PublicKey, chainCode, out var transcript);
        var scalar = new byte[32];
        Sodium.crypto_core_ristretto255_scalar_add(scalar, SecretScalar, tweak);
        var nonce = new byte[32];
        transcript.WitnessBytes("HDKD-nonce"u8, [.. Nonce, .. SecretScalar], nonce, RandomNumberGenerator.GetBytes(32));
        var publicKey = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255_base(publicKey, scalar) != 0) throw new CryptographicException("sr25519: derived a zero key");
        return new Sr25519KeyPair(scalar, nonce, publicKey);
    }

    /// <summary>Soft derivation of a public key alone: public + t·B.</summary>
    public static byte[] DerivePublicSoft(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> chainCode)
    {
        Sodium.Ensure();
        if (Sodium.crypto_core_ristretto255_is_valid_point(publicKey) != 1) throw new CryptographicException("not a valid sr25519 public key");
        var tweak = SoftScalar(publicKey, chainCode, out _);
        var tweakPoint = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255_base(tweakPoint, tweak) != 0) throw new CryptographicException("sr25519: zero derivation tweak");
        var derived = new byte[32];
        if (Sodium.crypto_core_ristretto255_add(derived, publicKey, tweakPoint) != 0) throw new CryptographicException("sr25519: derivation failed");
        return derived;
    }

    /// <summary>The signing transcript for <paramref name="message"/> under <paramref name="context"/>
    /// (<c>signing_context(context).bytes(message)</c>; Substrate signs with context "substrate").</summary>
    private static Transcript SigningTranscript(ReadOnlySpan<byte> context, ReadOnlySpan<byte> message)
    {
        var transcript = new Transcript("SigningContext");
        transcript.AppendMessage([], context);
        transcript.AppendMessage("sign-bytes"u8, message);
        return transcript;
    }

    private static byte[] ChallengeScalar(Transcript transcript, ReadOnlySpan<byte> label)
    {
        var wide = new byte[64];
        transcript.ChallengeBytes(label, wide);
        var scalar = new byte[32];
        Sodium.crypto_core_ristretto255_scalar_reduce(scalar, wide);
        return scalar;
    }

    /// <summary>A Schnorr signature (R ‖ s, with the schnorrkel marker bit set in the last byte) of the message,
    /// under the "substrate" context unless another is given. The nonce comes from the transcript, the secret nonce
    /// and fresh randomness, as schnorrkel's <c>sign</c> does.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message, string context = "substrate") => Sign(message, context, RandomNumberGenerator.GetBytes(32));

    /// <summary>As <see cref="Sign(ReadOnlySpan{byte}, string)"/> with the 32 random bytes given: for reproducible test
    /// vectors only; real signatures must use fresh randomness.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message, string context, ReadOnlySpan<byte> randomness)
    {
        if (randomness.Length != 32) throw new ArgumentException("32 bytes of randomness", nameof(randomness));
        var transcript = SigningTranscript(System.Text.Encoding.UTF8.GetBytes(context), message);
        transcript.AppendMessage("proto-name"u8, "Schnorr-sig"u8);
        transcript.AppendMessage("sign:pk"u8, PublicKey);
        var wide = new byte[64];
        transcript.WitnessBytes("signing"u8, Nonce, wide, randomness);
        var r = new byte[32];
        Sodium.crypto_core_ristretto255_scalar_reduce(r, wide);
        var bigR = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255_base(bigR, r) != 0) throw new CryptographicException("sr25519: zero signing nonce");
        transcript.AppendMessage("sign:R"u8, bigR);
        var k = ChallengeScalar(transcript, "sign:c"u8);
        var s = new byte[32];
        Sodium.crypto_core_ristretto255_scalar_mul(s, k, SecretScalar);
        Sodium.crypto_core_ristretto255_scalar_add(s, s, r);
        var signature = new byte[64];
        bigR.CopyTo(signature, 0);
        s.CopyTo(signature, 32);
        signature[63] |= 128;
        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is a valid schnorrkel signature of the message by the key.
    /// Signatures without the schnorrkel marker bit, with a non-canonical s, or with an invalid R or key are refused.</summary>
    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> publicKey, string context = "substrate")
    {
        Sodium.Ensure();
        if (signature.Length != 64 || publicKey.Length != 32 || (signature[63] & 128) == 0) return false;
        var bigR = signature[..32].ToArray();
        var s = signature[32..].ToArray();
        s[31] &= 127;
        if (!IsCanonicalScalar(s)) return false;
        if (Sodium.crypto_core_ristretto255_is_valid_point(publicKey) != 1 || Sodium.crypto_core_ristretto255_is_valid_point(bigR) != 1) return false;
        var transcript = SigningTranscript(System.Text.Encoding.UTF8.GetBytes(context), message);
        transcript.AppendMessage("proto-name"u8, "Schnorr-sig"u8);
        transcript.AppendMessage("sign:pk"u8, publicKey);
        transcript.AppendMessage("sign:R"u8, bigR);
        var k = ChallengeScalar(transcript, "sign:c"u8);
        // R' = s·B − k·A must equal R
        var sB = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255_base(sB, s) != 0) return false;
        var minusK = new byte[32];
        Sodium.crypto_core_ristretto255_scalar_negate(minusK, k);
        var minusKA = new byte[32];
        if (Sodium.crypto_scalarmult_ristretto255(minusKA, minusK, publicKey) != 0) return false;
        var expected = new byte[32];
        if (Sodium.crypto_core_ristretto255_add(expected, sB, minusKA) != 0) return false;
        return CryptographicOperations.FixedTimeEquals(expected, bigR);
    }

    /// <summary>s &lt; ℓ = 2^252 + 27742317777372353535851937790883648493 (little-endian comparison).</summary>
    private static bool IsCanonicalScalar(ReadOnlySpan<byte> s)
    {
        ReadOnlySpan<byte> order =
        [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
        ];
        for (var i = 31; i >= 0; i--)
        {
            if (s[i] < order[i]) return true;
            if (s[i] > order[i]) return false;
        }
        return false;
    }
}
