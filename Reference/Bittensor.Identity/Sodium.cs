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

    /// <summary>Makes sure the static constructor (sodium_init) has run.</summary>
    internal static void Ensure() { }
}
