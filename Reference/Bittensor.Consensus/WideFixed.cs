using System.Numerics;

namespace Bittensor.Consensus;

/// <summary>
/// Unsigned fixed point with 32 fraction bits, as the chain's <c>U96F32</c> (value = <see cref="Bits"/> / 2^32): the
/// coinbase's working type. The operations are the spec's: multiplication floors, division truncates, saturating
/// operations clamp to [0, 2^128 − 1], <see cref="SafeDiv"/> gives 0 on division by zero and on overflow. Off the hot
/// path, so the wide intermediates are plain <see cref="BigInteger"/>s.
/// </summary>
public readonly record struct U96F32(UInt128 Bits) : IComparable<U96F32>
{
    public const int FractionBits = 32;
    private static readonly BigInteger MaxBits = UInt128.MaxValue;

    public static readonly U96F32 Zero = new(UInt128.Zero);
    public static readonly U96F32 One = new(UInt128.One << FractionBits);
    /// <summary>0.5: the chain writes it as the f64 0.5, which converts exactly.</summary>
    public static readonly U96F32 Half = new(UInt128.One << (FractionBits - 1));

    /// <summary>The integer n exactly (every u64 fits).</summary>
    public static U96F32 FromInteger(ulong n) => new((UInt128)n << FractionBits);
    /// <summary>The integer n exactly; saturates above 2^96 − 1.</summary>
    public static U96F32 FromInteger(BigInteger n) => new(Clamp(n << FractionBits));

    public int CompareTo(U96F32 other) => Bits.CompareTo(other.Bits);

    private static UInt128 Clamp(BigInteger bits) => bits.Sign < 0 ? UInt128.Zero : bits > MaxBits ? UInt128.MaxValue : (UInt128)bits;

    public static U96F32 SaturatingSub(U96F32 a, U96F32 b) => new(a.Bits > b.Bits ? a.Bits - b.Bits : UInt128.Zero);
    public static U96F32 SaturatingMul(U96F32 a, U96F32 b) => new(Clamp(((BigInteger)a.Bits * b.Bits) >> FractionBits));

    /// <summary>(a · 2^32) / b truncated; 0 when b is 0 or the quotient does not fit.</summary>
    public static U96F32 SafeDiv(U96F32 a, U96F32 b)
    {
        if (b.Bits == UInt128.Zero) return Zero;
        var quotient = ((BigInteger)a.Bits << FractionBits) / b.Bits;
        return quotient > MaxBits ? Zero : new((UInt128)quotient);
    }

    /// <summary><c>saturating_to_num::&lt;u64&gt;</c>: ⌊value⌋ clamped to [0, 2^64 − 1].</summary>
    public ulong SaturatingToUInt64()
    {
        var floor = Bits >> FractionBits;
        return floor > ulong.MaxValue ? ulong.MaxValue : (ulong)floor;
    }
}

/// <summary>
/// Signed fixed point with 18 fraction bits, as the chain's <c>I110F18</c> (value = <see cref="Bits"/> / 2^18): the
/// burn adjustment's working type. Multiplication floors, division truncates toward zero, saturating operations clamp
/// to the 128-bit range; dividing by zero throws, as the chain's <c>saturating_div</c> panics.
/// </summary>
public readonly record struct I110F18(Int128 Bits) : IComparable<I110F18>
{
    public const int FractionBits = 18;
    private static readonly BigInteger MaxBits = Int128.MaxValue;
    private static readonly BigInteger MinBits = Int128.MinValue;

    public static readonly I110F18 One = new(Int128.One << FractionBits);

    public static I110F18 FromInteger(ulong n) => new((Int128)n << FractionBits);

    public int CompareTo(I110F18 other) => Bits.CompareTo(other.Bits);
    public static bool operator <=(I110F18 a, I110F18 b) => a.Bits <= b.Bits;
    public static bool operator >=(I110F18 a, I110F18 b) => a.Bits >= b.Bits;

    private static Int128 Clamp(BigInteger bits) => bits > MaxBits ? Int128.MaxValue : bits < MinBits ? Int128.MinValue : (Int128)bits;

    public static I110F18 SaturatingAdd(I110F18 a, I110F18 b) => new(Clamp((BigInteger)a.Bits + b.Bits));
    public static I110F18 SaturatingSub(I110F18 a, I110F18 b) => new(Clamp((BigInteger)a.Bits - b.Bits));

    /// <summary>⌊a·b⌋ in ulps (toward −∞), clamped.</summary>
    public static I110F18 SaturatingMul(I110F18 a, I110F18 b)
    {
        var product = (BigInteger)a.Bits * b.Bits;
        var floor = BigInteger.DivRem(product, BigInteger.One << FractionBits, out var remainder);
        if (remainder.Sign < 0) floor -= 1;
        return new(Clamp(floor));
    }

    /// <summary>(a · 2^18) / b truncated toward zero, clamped.</summary>
    public static I110F18 SaturatingDiv(I110F18 a, I110F18 b)
    {
        if (b.Bits == Int128.Zero) throw new DivideByZeroException("I110F18 saturating_div by zero");
        return new(Clamp(((BigInteger)a.Bits << FractionBits) / b.Bits));
    }

    /// <summary>⌊value⌋ as u64; the value must lie in [0, 2^64).</summary>
    public ulong ToUInt64()
    {
        var floor = Bits >> FractionBits;
        if (floor < 0 || floor > ulong.MaxValue) throw new OverflowException($"I110F18 to u64 overflows: the floor is {floor}");
        return (ulong)floor;
    }
}
