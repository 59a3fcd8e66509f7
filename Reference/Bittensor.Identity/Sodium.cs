using System.Runtime.InteropServices;

namespace Bittensor.Identity;

/// <summary>The few libsodium functions used (the <c>libsodium</c> NuGet package ships the native library).</summary>
internal static partial class Sodium
{
    private const string Library = "libsodium";

    static Sodium()
    {
        if (sodium_init() < 0) throw new InvalidOperationException("libsodium failed to initialise");
    }

    [LibraryImport(Library)] private static partial int sodium_init();

    [LibraryImport(Library)]
    internal static partial int crypto_sign_seed_keypair(Span<byte> publicKey, Span<byte> secretKey, ReadOnlySpan<byte> seed);

    [LibraryImport(Library)]
    internal static partial int crypto_sign_detached(Span<byte> signature, out ulong signatureLength, ReadOnlySpan<byte> message, ulong messageLength, ReadOnlySpan<byte> secretKey);

    [LibraryImport(Library)]
    internal static partial int crypto_sign_verify_detached(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ulong messageLength, ReadOnlySpan<byte> publicKey);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ristretto255_base(Span<byte> point, ReadOnlySpan<byte> scalar);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ristretto255(Span<byte> result, ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ristretto255_add(Span<byte> result, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    [LibraryImport(Library)]
    internal static partial int crypto_core_ristretto255_is_valid_point(ReadOnlySpan<byte> point);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ristretto255_scalar_reduce(Span<byte> result, ReadOnlySpan<byte> wide);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ristretto255_scalar_add(Span<byte> result, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ristretto255_scalar_mul(Span<byte> result, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y);

    [LibraryImport(Library)]
    internal static partial void crypto_core_ristretto255_scalar_negate(Span<byte> result, ReadOnlySpan<byte> x);

    internal const int PwhashAlgArgon2i13 = 1;
    internal const ulong PwhashArgon2iOpsLimitSensitive = 8;
    internal const nuint PwhashArgon2iMemLimitSensitive = 536870912;

    [LibraryImport(Library)]
    internal static partial int crypto_pwhash(Span<byte> key, ulong keyLength, ReadOnlySpan<byte> password, ulong passwordLength,
        ReadOnlySpan<byte> salt, ulong opsLimit, nuint memLimit, int algorithm);

    [LibraryImport(Library)]
    internal static partial int crypto_secretbox_easy(Span<byte> ciphertext, ReadOnlySpan<byte> message, ulong messageLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    [LibraryImport(Library)]
    internal static partial int crypto_secretbox_open_easy(Span<byte> message, ReadOnlySpan<byte> ciphertext, ulong ciphertextLength, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key);

    /// <summary>Makes sure the static constructor (sodium_init) has run.</summary>
    internal static void Ensure() { }
}
