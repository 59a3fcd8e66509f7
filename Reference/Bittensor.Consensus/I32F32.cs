using System.Numerics;
using System.Runtime.CompilerServices;

namespace Bittensor.Consensus;

/// <summary>
/// Signed fixed point with 32 fraction bits, as the chain's <c>I32F32</c>: value = <see cref="Bits"/> / 2^32.
/// The operations are the spec's (<c>Spec/Fixed/Fixed.fsi</c>), on 64-bit integers with 128-bit intermediates:
/// multiplication floors, division truncates toward zero, saturating operations clamp, <see cref="SafeDiv"/> gives 0
/// on division by zero and on overflow. No floating point anywhere.
/// </summary>
public readonly record struct I32F32(long Bits) : IComparable<I32F32>
{
    public const int FractionBits = 32;
    public const long OneBits = 1L << FractionBits;

    public static readonly I32F32 Zero = new(0);
    public static readonly I32F32 One = new(OneBits);
    public static readonly I32F32 MaxValue = new(long.MaxValue);
    public static readonly I32F32 MinValue = new(long.MinValue);

    /// <summary>The integer n exactly (saturating at the range's ends).</summary>
    public static I32F32 FromInteger(long n) =>
        n > int.MaxValue ? MaxValue : n < int.MinValue ? MinValue : new(n << FractionBits);

    public int CompareTo(I32F32 other) => Bits.CompareTo(other.Bits);
    public static bool operator <(I32F32 a, I32F32 b) => a.Bits < b.Bits;
    public static bool operator >(I32F32 a, I32F32 b) => a.Bits > b.Bits;
    public static bool operator <=(I32F32 a, I32F32 b) => a.Bits <= b.Bits;
    public static bool operator >=(I32F32 a, I32F32 b) => a.Bits >= b.Bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Clamp(Int128 bits) => bits > long.MaxValue ? long.MaxValue : bits < long.MinValue ? long.MinValue : (long)bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static I32F32 SaturatingAdd(I32F32 a, I32F32 b)
    {
        var sum = a.Bits + b.Bits;
        // overflow happened when both operands have the same sign and the sum's sign differs
        if (((a.Bits ^ sum) & (b.Bits ^ sum)) < 0) return a.Bits < 0 ? MinValue : MaxValue;
        return new(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static I32F32 SaturatingSub(I32F32 a, I32F32 b)
    {
        var difference = a.Bits - b.Bits;
        if (((a.Bits ^ b.Bits) & (a.Bits ^ difference)) < 0) return a.Bits < 0 ? MinValue : MaxValue;
        return new(difference);
    }

    /// <summary>⌊a·b⌋ in ulps: the 128-bit product shifted right arithmetically (floor), clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static I32F32 SaturatingMul(I32F32 a, I32F32 b) =>
        TryMul(a, b, out var product) ? product : ((a.Bits < 0) != (b.Bits < 0) ? MinValue : MaxValue);

    /// <summary>⌊a·b⌋, or false when it does not fit. The 128-bit product is high·2^64 + low; shifted right by 32 it
    /// fits in 64 bits exactly when high lies in [−2^31, 2^31), and is then high·2^32 + ⌊low / 2^32⌋.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryMul(I32F32 a, I32F32 b, out I32F32 product)
    {
        var high = Math.BigMul(a.Bits, b.Bits, out long low);
        product = new((high << FractionBits) | (long)((ulong)low >> FractionBits));
        return high >= int.MinValue && high <= int.MaxValue;
    }

    /// <summary>Whether <paramref name="bits"/> is a proportion: a value in [0, 1], bits in [0, 2^32].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsProportion(long bits) => (ulong)bits <= OneBits;

    /// <summary>⌊a·b⌋ for proportions a, b in [0, 1] (<see cref="IsProportion"/>), which every weight, stake, consensus,
    /// incentive and loaded bond is: <see cref="SaturatingMul"/> without its sign and overflow handling, which cannot
    /// apply there (the product lies in [0, 1] too). With b = b₁·2^32 + b₀ (b₁ ∈ {0, 1}), ⌊a·b / 2^32⌋ is
    /// a·b₁ + ⌊a·b₀ / 2^32⌋, and a·b₀ &lt; 2^64 is one unsigned multiplication. Example: ½·½ = ¼, that is
    /// MulProportions(2^31, 2^31) = 2^30.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long MulProportions(long a, long b) => (long)(((ulong)a * (uint)b) >> FractionBits) + (a & -(b >> FractionBits));

    /// <summary>(a·2^32)/b truncated toward zero; false on division by zero or when it does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryDiv(I32F32 a, I32F32 b, out I32F32 quotient)
    {
        quotient = Zero;
        if (b.Bits == 0) return false;
        if ((ulong)a.Bits < (1UL << 32) && b.Bits > 0)
        {
            // fast path for the common case 0 ≤ a < 1, b > 0: a·2^32 fits in 64 unsigned bits, the same truncation
            var fast = ((ulong)a.Bits << FractionBits) / (ulong)b.Bits;
            if (fast > long.MaxValue) return false;
            quotient = new((long)fast);
            return true;
        }
        var exact = ((Int128)a.Bits << FractionBits) / b.Bits; // Int128 division truncates toward zero, as Rust's
        if (exact > long.MaxValue || exact < long.MinValue) return false;
        quotient = new((long)exact);
        return true;
    }

    /// <summary><c>safe_div</c>: truncating, 0 on division by zero and on overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static I32F32 SafeDiv(I32F32 a, I32F32 b) => TryDiv(a, b, out var q) ? q : Zero;

    /// <summary><c>saturating_div</c>: truncating, clamped; division by zero throws (the chain panics).</summary>
    public static I32F32 SaturatingDiv(I32F32 a, I32F32 b)
    {
        if (b.Bits == 0) throw new DivideByZeroException("I32F32 division by zero");
        return new(Clamp(((Int128)a.Bits << FractionBits) / b.Bits));
    }

    /// <summary>Nearest integer, ties away from zero (the value stays I32F32).</summary>
    public static I32F32 Round(I32F32 a)
    {
        Int128 magnitude = ((Int128)(a.Bits < 0 ? -(Int128)a.Bits : a.Bits) + (OneBits / 2)) >> FractionBits;
        var rounded = (a.Bits < 0 ? -magnitude : magnitude) << FractionBits;
        if (rounded > long.MaxValue || rounded < long.MinValue) throw new OverflowException("I32F32 round overflows");
        return new((long)rounded);
    }

    /// <summary><c>saturating_to_num::&lt;u16&gt;</c>: ⌊value⌋ clamped to [0, 65535].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort SaturatingToUInt16(I32F32 a)
    {
        var floor = a.Bits >> FractionBits;
        return floor < 0 ? (ushort)0 : floor > ushort.MaxValue ? ushort.MaxValue : (ushort)floor;
    }

    /// <summary>The exact value as a decimal string with the given number of places (half to even at the last).</summary>
    public override string ToString()
    {
        var scaled = BigInteger.Abs(Bits) * BigInteger.Pow(10, 10);
        var (q, r) = BigInteger.DivRem(scaled, new BigInteger(OneBits));
        if (r * 2 > OneBits || (r * 2 == OneBits && !q.IsEven)) q += 1;
        var digits = q.ToString().PadLeft(11, '0');
        return $"{(Bits < 0 ? "-" : "")}{digits[..^10]}.{digits[^10..]} (I32F32 bits {Bits})";
    }
}
