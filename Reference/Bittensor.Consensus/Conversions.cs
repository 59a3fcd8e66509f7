using System.Numerics;

namespace Bittensor.Consensus;

/// <summary>The u16 and I64F64 conversions the epoch uses; mirrors the spec's <c>Conversions</c> module.</summary>
public static class Conversions
{
    private const long U16MaxBits = 65535L << I32F32.FractionBits;

    /// <summary><c>u16_proportion_to_fixed</c>: x / 65535, truncating. As 2^32 = 65535·65537 + 1, x·2^32 / 65535 is
    /// x·65537 + x/65535, whose floor is x·65537, plus 1 at x = 65535 (which gives exactly 1).</summary>
    public static I32F32 U16ProportionToFixed(ushort x) => new((long)x * 65537 + (x == ushort.MaxValue ? 1 : 0));

    /// <summary><c>fixed_proportion_to_u16</c>: ⌊x · 65535⌋ clamped to [0, 65535]. For x in [0, 1] the product
    /// x·65535 (in ulps) fits 64 bits and needs no clamp.</summary>
    public static ushort FixedProportionToU16(I32F32 x) =>
        I32F32.IsProportion(x.Bits)
            ? (ushort)((x.Bits * 65535) >> I32F32.FractionBits)
            : I32F32.SaturatingToUInt16(I32F32.SaturatingMul(x, new I32F32(U16MaxBits)));

    /// <summary><c>vec_max_upscale_to_u16</c>: the largest entry becomes 65535 (see the spec for the 32768 branch).</summary>
    public static ushort[] VecMaxUpscaleToU16(ReadOnlySpan<I32F32> v)
    {
        var result = new ushort[v.Length];
        if (v.Length == 0) return result;
        var max = v[0];
        foreach (var e in v) if (e > max) max = e;
        var u16Max = new I32F32(U16MaxBits);
        if (max == I32F32.Zero)
        {
            for (var i = 0; i < v.Length; i++) result[i] = I32F32.SaturatingToUInt16(I32F32.SaturatingMul(v[i], u16Max));
        }
        else if (max > I32F32.FromInteger(32768))
        {
            var scale = I32F32.SafeDiv(u16Max, max);
            for (var i = 0; i < v.Length; i++) result[i] = I32F32.SaturatingToUInt16(I32F32.Round(I32F32.SaturatingMul(v[i], scale)));
        }
        else
        {
            for (var i = 0; i < v.Length; i++) result[i] = I32F32.SaturatingToUInt16(I32F32.Round(I32F32.SafeDiv(I32F32.SaturatingMul(v[i], u16Max), max)));
        }
        return result;
    }

    /// <summary><c>vec_u16_max_upscale_to_u16</c>: each u16 read as an I32F32 integer, then
    /// <see cref="VecMaxUpscaleToU16"/>. This is how set_weights stores a row: [43690, 21845] becomes [65535, 32768].</summary>
    public static ushort[] VecU16MaxUpscaleToU16(ReadOnlySpan<ushort> v)
    {
        var asFixed = new I32F32[v.Length];
        for (var i = 0; i < v.Length; i++) asFixed[i] = I32F32.FromInteger(v[i]);
        return VecMaxUpscaleToU16(asFixed);
    }

    /// <summary><c>check_vec_max_limited</c>: true when no entry of the normalised vector exceeds
    /// <c>maxLimit / 65535</c> (as <see cref="U16ProportionToFixed"/>); an empty vector passes. The I32F32 sum overflows,
    /// and this throws as the chain panics, only past 32768 entries near 65535.</summary>
    public static bool CheckVecMaxLimited(ReadOnlySpan<ushort> v, ushort maxLimit)
    {
        if (v.IsEmpty) return true;
        var bits = new long[v.Length];
        for (var i = 0; i < v.Length; i++) bits[i] = I32F32.FromInteger(v[i]).Bits;
        Epoch.Normalize(bits);
        return bits.Max() <= U16ProportionToFixed(maxLimit).Bits;
    }

    /// <summary><c>compute_disabled_liquid_alpha</c>: 1 − ⌊I64F64(bma) / 10^6⌋ as I32F32.</summary>
    public static I32F32 EmaAlphaOfBondsMovingAverage(ulong bondsMovingAverage)
    {
        // I64F64 quotient (bma · 2^64) / 10^6, truncated, then floored to 32 fraction bits.
        var quotient = ((BigInteger)bondsMovingAverage << 64) / 1_000_000;
        var i32f32Bits = quotient >> 32;
        if (i32f32Bits > long.MaxValue) throw new OverflowException("bonds moving average above the I32F32 range");
        return I32F32.SaturatingSub(I32F32.One, new I32F32((long)i32f32Bits));
    }
}

/// <summary>The crate's exponential and the liquid-alpha sigmoid; mirrors the spec's <c>Transcendental</c>.</summary>
public static class Transcendental
{
    /// <summary>The crate's <c>E</c>: 23 fraction bits, widened.</summary>
    public static readonly I32F32 E = new(22802600L << 9);

    /// <summary><c>exp</c>: the truncated Taylor series; false for the crate's <c>Err</c>.</summary>
    public static bool TryExp(I32F32 x, out I32F32 result)
    {
        result = I32F32.Zero;
        if (x == I32F32.Zero) { result = I32F32.One; return true; }
        if (x == I32F32.One) { result = E; return true; }
        if (x == I32F32.MinValue) throw new OverflowException("exp of I32F32::MIN: the crate negates it and panics");
        var negative = x.Bits < 0;
        var y = negative ? new I32F32(-x.Bits) : x;
        if (y.Bits > long.MaxValue - I32F32.OneBits) throw new OverflowException("exp: |x| + 1 overflows");
        var sum = new I32F32(y.Bits + I32F32.OneBits);
        var term = y;
        for (var i = 2; i <= 31; i++)
        {
            if (!I32F32.TryMul(term, y, out term)) return false;
            if (!I32F32.TryDiv(term, I32F32.FromInteger(i), out term)) return false;
            var next = sum.Bits + term.Bits;
            if (((sum.Bits ^ next) & (term.Bits ^ next)) < 0) return false;
            sum = new I32F32(next);
        }
        if (!negative) { result = sum; return true; }
        return I32F32.TryDiv(I32F32.One, sum, out result);
    }

    /// <summary><c>safe_exp</c>: exp, or 0 on error.</summary>
    public static I32F32 SafeExp(I32F32 x) => TryExp(x, out var r) ? r : I32F32.Zero;

    private static readonly I32F32 Half = new(1L << 31);
    private static readonly I32F32 MinusHundred = I32F32.FromInteger(-100);

    /// <summary><c>alpha_sigmoid</c>: the per-bond liquid-alpha EMA coefficient.</summary>
    public static I32F32 AlphaSigmoid(I32F32 consensus, I32F32 weight, I32F32 bond, I32F32 alphaLow, I32F32 alphaHigh, I32F32 steepness)
    {
        static I32F32 Clamp(I32F32 v, I32F32 low, I32F32 high) { var m = v < high ? v : high; return m > low ? m : low; }
        var diffBuy = Clamp(I32F32.SaturatingSub(weight, consensus), I32F32.Zero, I32F32.One);
        var diffSell = Clamp(I32F32.SaturatingSub(bond, weight), I32F32.Zero, I32F32.One);
        var combined = weight >= bond ? diffBuy : diffSell;
        var exponent = I32F32.SaturatingMul(I32F32.SaturatingDiv(steepness, MinusHundred), I32F32.SaturatingSub(combined, Half));
        var sigmoid = I32F32.SaturatingDiv(I32F32.One, I32F32.SaturatingAdd(I32F32.One, SafeExp(exponent)));
        var alpha = I32F32.SaturatingAdd(alphaLow, I32F32.SaturatingMul(sigmoid, I32F32.SaturatingSub(alphaHigh, alphaLow)));
        return Clamp(alpha, alphaLow, alphaHigh);
    }
}
