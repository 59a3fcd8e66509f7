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

    /// <summary>Makes sure the static constructor (sodium_init) has run.</summary>
    internal static void Ensure() { }
}
