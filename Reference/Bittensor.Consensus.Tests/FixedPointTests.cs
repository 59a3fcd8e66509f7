using Xunit;

namespace Bittensor.Consensus.Tests;

public class FixedPointTests
{
    private static I32F32 Bits(long b) => new(b);
    private static I32F32 Int(long n) => I32F32.FromInteger(n);

    [Fact]
    public void Multiplication_floors_toward_minus_infinity()
    {
        Assert.Equal(0, I32F32.SaturatingMul(Bits(1), Bits(1)).Bits);
        Assert.Equal(-1, I32F32.SaturatingMul(Bits(-1), Bits(1)).Bits);
        Assert.Equal(Int(6), I32F32.SaturatingMul(Int(2), Int(3)));
    }

    [Fact]
    public void Multiplication_saturates_by_the_sign_of_the_exact_product()
    {
        Assert.Equal(I32F32.MaxValue, I32F32.SaturatingMul(Int(65536), Int(65536)));
        Assert.Equal(I32F32.MinValue, I32F32.SaturatingMul(Int(65536), Int(-65536)));
        Assert.False(I32F32.TryMul(Int(65536), Int(65536), out _));
        Assert.True(I32F32.TryMul(Int(2), Int(3), out var p));
        Assert.Equal(Int(6), p);
    }

    [Fact]
    public void Division_truncates_toward_zero_on_both_signs()
    {
        Assert.Equal(1431655765, I32F32.SafeDiv(I32F32.One, Int(3)).Bits);
        Assert.Equal(-1431655765, I32F32.SafeDiv(Int(-1), Int(3)).Bits);
        Assert.Equal(-1431655765, I32F32.SafeDiv(Int(1), Int(-3)).Bits);
    }

    [Fact]
    public void Safe_division_is_zero_on_division_by_zero_and_on_overflow()
    {
        Assert.Equal(I32F32.Zero, I32F32.SafeDiv(I32F32.One, I32F32.Zero));
        Assert.Equal(I32F32.Zero, I32F32.SafeDiv(Int(1 << 30), Bits(1)));
        Assert.Equal(I32F32.MaxValue, I32F32.SaturatingDiv(Int(1 << 30), Bits(1)));
        Assert.Equal(I32F32.MinValue, I32F32.SaturatingDiv(Int(-(1 << 30)), Bits(1)));
        Assert.Throws<DivideByZeroException>(() => I32F32.SaturatingDiv(I32F32.One, I32F32.Zero));
    }

    [Fact]
    public void Saturating_addition_and_subtraction_clamp_at_both_ends()
    {
        Assert.Equal(I32F32.MaxValue, I32F32.SaturatingAdd(I32F32.MaxValue, I32F32.One));
        Assert.Equal(I32F32.MinValue, I32F32.SaturatingAdd(I32F32.MinValue, Int(-1)));
        Assert.Equal(I32F32.MinValue, I32F32.SaturatingSub(I32F32.MinValue, I32F32.One));
        Assert.Equal(I32F32.MaxValue, I32F32.SaturatingSub(I32F32.MaxValue, Int(-1)));
        Assert.Equal(Int(5), I32F32.SaturatingAdd(Int(2), Int(3)));
        Assert.Equal(Int(-1), I32F32.SaturatingSub(Int(2), Int(3)));
    }

    [Fact]
    public void Rounding_is_half_away_from_zero()
    {
        var twoAndHalf = Bits(5L << 31);
        Assert.Equal(Int(3), I32F32.Round(twoAndHalf));
        Assert.Equal(Int(-3), I32F32.Round(Bits(-(5L << 31))));
        Assert.Equal(Int(2), I32F32.Round(Bits((5L << 31) - 1)));
        Assert.Throws<OverflowException>(() => I32F32.Round(I32F32.MaxValue));
    }

    [Fact]
    public void Conversion_to_u16_floors_and_clamps()
    {
        Assert.Equal(65535, I32F32.SaturatingToUInt16(Bits((65535L << 32) + (1L << 31))));
        Assert.Equal(65535, I32F32.SaturatingToUInt16(Int(70000)));
        Assert.Equal(0, I32F32.SaturatingToUInt16(Int(-3)));
        Assert.Equal(0, I32F32.SaturatingToUInt16(Bits(-1)));
        Assert.Equal(7, I32F32.SaturatingToUInt16(Bits((7L << 32) + 5)));
    }

    [Fact]
    public void From_integer_saturates_outside_the_range()
    {
        Assert.Equal(I32F32.MaxValue, I32F32.FromInteger(4294967295));
        Assert.Equal(I32F32.MinValue, I32F32.FromInteger(-4294967295));
        Assert.Equal(65535L << 32, I32F32.FromInteger(65535).Bits);
    }

    [Fact]
    public void Comparison_follows_the_bits()
    {
        Assert.True(Bits(-1) < I32F32.Zero);
        Assert.True(I32F32.One > Bits(1));
        var one = I32F32.One;
        var alsoOne = new I32F32(1L << 32);
        Assert.True(one >= alsoOne && one <= alsoOne && !(one > alsoOne) && !(one < alsoOne));
        Assert.Equal(-1, Bits(1).CompareTo(Bits(2)));
        Assert.StartsWith("0.3333333333", I32F32.SafeDiv(I32F32.One, Int(3)).ToString());
        Assert.StartsWith("-0.5000000000", Bits(-(1L << 31)).ToString());
        // ten places, the last rounded half to even: 16 ulps = 0.00000000372…; 2^21 ulps = 0.00048828125 exactly (a tie)
        Assert.Equal("0.0000000037 (I32F32 bits 16)", Bits(16).ToString());
        Assert.Equal("0.0004882812 (I32F32 bits 2097152)", Bits(1L << 21).ToString());
        Assert.Equal("0.0004882815 (I32F32 bits 2097153)", Bits((1L << 21) + 1).ToString()); // 0.00048828148…
    }
}

public class ConversionTests
{
    [Fact]
    public void Stored_weights_are_max_upscaled()
    {
        Assert.Equal(new ushort[] { 65535, 32768 }, Conversions.VecMaxUpscaleToU16([I32F32.FromInteger(43690), I32F32.FromInteger(21845)]));
        Assert.Equal(new ushort[] { 65535, 32767 }, Conversions.VecMaxUpscaleToU16([I32F32.FromInteger(32769), I32F32.FromInteger(16384)]));
        Assert.Equal(new ushort[] { 0, 0 }, Conversions.VecMaxUpscaleToU16([I32F32.Zero, I32F32.Zero]));
        Assert.Empty(Conversions.VecMaxUpscaleToU16([]));
        Assert.Equal(new ushort[] { 65535, 32768 }, Conversions.VecMaxUpscaleToU16([new I32F32(1L << 31), new I32F32(1L << 30)]));
    }

    /// <summary>set_weights' storage and max-weight check against the spec: the known answer, the 32768 branch, all
    /// zeros, a single entry, and seeded rows of up to 300 weights with limits at, just under and just over the largest
    /// normalised weight.</summary>
    [Fact]
    public void Set_weights_storage_and_max_weight_check_match_the_spec()
    {
        Assert.Equal(new ushort[] { 65535, 32768 }, Conversions.VecU16MaxUpscaleToU16([43690, 21845]));
        Assert.Equal(new ushort[] { 0, 0 }, Conversions.VecU16MaxUpscaleToU16([0, 0]));
        Assert.Empty(Conversions.VecU16MaxUpscaleToU16([]));
        Assert.True(Conversions.CheckVecMaxLimited([], 0));
        Assert.True(Conversions.CheckVecMaxLimited([0, 0], 0), "an all-zero row normalises to zeros");
        Assert.True(Conversions.CheckVecMaxLimited([1, 1], 32768), "½ against 32768/65535 > ½");
        Assert.False(Conversions.CheckVecMaxLimited([1, 1], 32767), "½ against 32767/65535 < ½");
        Assert.True(Conversions.CheckVecMaxLimited([7], 65535), "a single weight normalises to exactly 1");
        Assert.False(Conversions.CheckVecMaxLimited([7], 65534));
        var rng = new Random(20261125);
        for (var trial = 0; trial < 400; trial++)
        {
            var row = Enumerable.Range(0, rng.Next(1, 300)).Select(_ => (ushort)(rng.Next(4) == 0 ? 0 : rng.Next(0, 65536))).ToArray();
            var stored = Conversions.VecU16MaxUpscaleToU16(row);
            Assert.Equal(Spec.Fixed.Conversions.vecU16MaxUpscaleToU16(row), stored);
            var largest = Spec.Math.Vector.normalize(stored.Select(Spec.Fixed.Conversions.u16ToFixed).ToArray()).Max().Bits;
            var limitAtLargest = (ushort)Math.Min(65535, largest * 65535 >> 32);
            foreach (var limit in new[] { limitAtLargest, (ushort)Math.Max(0, limitAtLargest - 1), (ushort)Math.Min(65535, limitAtLargest + 1), (ushort)rng.Next(0, 65536) })
                Assert.Equal(Spec.Math.Vector.checkVecMaxLimited(stored, limit), Conversions.CheckVecMaxLimited(stored, limit));
        }
    }

    [Fact]
    public void Proportions_truncate_and_clamp()
    {
        Assert.Equal(I32F32.One, Conversions.U16ProportionToFixed(65535));
        Assert.Equal(2147450879, Conversions.U16ProportionToFixed(32767).Bits);
        Assert.Equal(32767, Conversions.FixedProportionToU16(new I32F32(1L << 31)));
        Assert.Equal(65535, Conversions.FixedProportionToU16(I32F32.FromInteger(2)));
        Assert.Equal(0, Conversions.FixedProportionToU16(new I32F32(-(1L << 30))));
    }

    /// <summary>The closed form x·65537 (+1 at 65535) against the spec's division, for every u16; and the u16 rounding
    /// of proportions on both sides of 1, where the fast path for [0, 1] ends.</summary>
    [Fact]
    public void Every_u16_proportion_matches_the_spec_and_proportions_round_down_to_u16()
    {
        for (var x = 0; x <= ushort.MaxValue; x++)
            Assert.Equal(Spec.Fixed.Conversions.u16ProportionToFixed((ushort)x).Bits, Conversions.U16ProportionToFixed((ushort)x).Bits);
        foreach (var bits in new[] { 0L, 1, 65536, 65537, (1L << 32) - 65537, (1L << 32) - 65536, (1L << 32) - 1, 1L << 32, (1L << 32) + 1, long.MaxValue, -1, long.MinValue })
            Assert.Equal(Spec.Fixed.Conversions.fixedProportionToU16(new Spec.Fixed.I32F32(bits)), Conversions.FixedProportionToU16(new I32F32(bits)));
        Assert.Equal(65534, Conversions.FixedProportionToU16(new I32F32((1L << 32) - 1)));
        Assert.Equal(0, Conversions.FixedProportionToU16(new I32F32(65537)));
        Assert.Equal(1, Conversions.FixedProportionToU16(new I32F32(65538)));
    }

    /// <summary>MulProportions is SaturatingMul on [0, 1] × [0, 1]: at the ends (0, 1 ulp, 1 − 1 ulp, 1) and at random.</summary>
    [Fact]
    public void Proportions_multiply_as_the_saturating_multiplication()
    {
        var edges = new[] { 0L, 1, 2, (1L << 31) - 1, 1L << 31, (1L << 32) - 2, (1L << 32) - 1, 1L << 32 };
        foreach (var a in edges)
            foreach (var b in edges)
                Assert.Equal(I32F32.SaturatingMul(new I32F32(a), new I32F32(b)).Bits, I32F32.MulProportions(a, b));
        var rng = new Random(7);
        for (var k = 0; k < 100_000; k++)
        {
            var (a, b) = (rng.NextInt64(0, (1L << 32) + 1), rng.NextInt64(0, (1L << 32) + 1));
            Assert.Equal(I32F32.SaturatingMul(new I32F32(a), new I32F32(b)).Bits, I32F32.MulProportions(a, b));
        }
        Assert.Equal(1L << 30, I32F32.MulProportions(1L << 31, 1L << 31));
        Assert.Equal(1L << 32, I32F32.MulProportions(1L << 32, 1L << 32));
        Assert.Equal(12345, I32F32.MulProportions(1L << 32, 12345));
        Assert.Equal(12345, I32F32.MulProportions(12345, 1L << 32));
    }

    [Fact]
    public void The_plain_bonds_ema_alpha()
    {
        Assert.Equal(107374183, Conversions.EmaAlphaOfBondsMovingAverage(975000).Bits);
        Assert.Equal(429496730, Conversions.EmaAlphaOfBondsMovingAverage(900000).Bits);
        Assert.Equal(I32F32.One, Conversions.EmaAlphaOfBondsMovingAverage(0));
        Assert.Equal(I32F32.Zero, Conversions.EmaAlphaOfBondsMovingAverage(1_000_000));
        Assert.Throws<OverflowException>(() => Conversions.EmaAlphaOfBondsMovingAverage(ulong.MaxValue));
    }
}

public class TranscendentalTests
{
    [Fact]
    public void The_crate_constant_e_has_23_fraction_bits() => Assert.Equal(11674931200, Transcendental.E.Bits);

    [Fact]
    public void Exp_follows_the_truncated_series()
    {
        Assert.True(Transcendental.TryExp(I32F32.Zero, out var one));
        Assert.Equal(I32F32.One, one);
        Assert.True(Transcendental.TryExp(I32F32.One, out var e));
        Assert.Equal(Transcendental.E, e);
        Assert.True(Transcendental.TryExp(I32F32.FromInteger(2), out var two));
        Assert.Equal(31735754285, two.Bits);
        Assert.True(Transcendental.TryExp(I32F32.FromInteger(-1), out var inverse));
        Assert.NotEqual(I32F32.SafeDiv(I32F32.One, Transcendental.E), inverse);
        Assert.False(Transcendental.TryExp(I32F32.FromInteger(30), out _));
        Assert.Equal(I32F32.Zero, Transcendental.SafeExp(I32F32.FromInteger(30)));
        Assert.Throws<OverflowException>(() => Transcendental.TryExp(I32F32.MinValue, out _));
    }

    [Fact]
    public void The_alpha_sigmoid_is_the_midpoint_at_one_half_and_stays_within_bounds()
    {
        var low = new I32F32(3006477107);  // ≈ 0.7
        var high = new I32F32(3865470566); // ≈ 0.9
        var mid = Transcendental.AlphaSigmoid(new I32F32(1L << 30), new I32F32(3L << 30), I32F32.Zero, low, high, I32F32.FromInteger(1000));
        Assert.Equal(I32F32.SaturatingAdd(low, I32F32.SaturatingMul(new I32F32(1L << 31), I32F32.SaturatingSub(high, low))), mid);
        var buy = Transcendental.AlphaSigmoid(I32F32.Zero, I32F32.One, I32F32.Zero, low, high, I32F32.FromInteger(1000));
        var sell = Transcendental.AlphaSigmoid(I32F32.One, I32F32.Zero, I32F32.One, low, high, I32F32.FromInteger(1000));
        Assert.True(buy >= low && buy <= high && sell >= low && sell <= high);
        // difference 1: x = (1000 / −100)·(1 − ½) = −5, sigmoid = 1/(1 + e^−5) ≈ 0.993: alpha close to high
        Assert.True(buy > mid && buy < high, "a weight far above consensus moves its bond fast");
        Assert.Equal(buy, sell);
    }
}

public class EpochHelperTests
{
    [Fact]
    public void Top_k_nonzero_drops_lower_uids_first_among_ties()
    {
        Assert.Equal(new[] { false, false, true, true }, Epoch.IsTopkNonzero([5, 5, 5, 5], 2));
        Assert.Equal(new[] { false, true, true }, Epoch.IsTopkNonzero([0, 2, 1], 5));
        Assert.Equal(new[] { false, false, false }, Epoch.IsTopkNonzero([1, 2, 3], 0));
    }

    [Fact]
    public void Normalize_divides_by_the_sum_and_leaves_a_zero_sum_alone()
    {
        long[] x = [1L << 32, 3L << 32];
        Epoch.Normalize(x);
        Assert.Equal(new[] { 1L << 30, 3L << 30 }, x);
        long[] zero = [1L << 32, -(1L << 32)];
        Epoch.Normalize(zero);
        Assert.Equal(new[] { 1L << 32, -(1L << 32) }, zero);
    }

    [Theory]
    [InlineData(360, 13889UL, 5000UL)]
    [InlineData(1, 13889UL, 13UL)]
    [InlineData(0, 13889UL, 1UL)]
    [InlineData(10, 13889UL, 138UL)]
    public void The_activity_cutoff_scales_with_tempo(ushort tempo, ulong factor, ulong expected)
    {
        var hp = new Hyperparameters(Era.Current, 5000, tempo, factor, 32767, 65535, 900000, 64, 0, 0, true, false, 45875, 58982, 1000, false);
        Assert.Equal(expected, Epoch.ActivityCutoff(hp));
        Assert.Equal(5000UL, Epoch.ActivityCutoff(hp with { Era = Era.Before2025_10 }));
        Assert.Equal(ulong.MaxValue / 1000, Epoch.ActivityCutoff(hp with { Tempo = 2, ActivityCutoffFactorMilli = ulong.MaxValue }));
    }

    [Fact]
    public void Ten_equal_stakes_sharing_a_billion_rao_get_99999999_each()
    {
        const int n = 10;
        var state = new EpochState(n, 1000, Enumerable.Repeat(1000UL, n).ToArray(), new ulong[n], Enumerable.Repeat(1000UL, n).ToArray(),
            new ulong[n], null, Enumerable.Repeat(true, n).ToArray(), Enumerable.Repeat(Array.Empty<StoredEntry>(), n).ToArray(),
            Enumerable.Repeat(Array.Empty<StoredEntry>(), n).ToArray(), Enumerable.Repeat(ulong.MaxValue, n).ToArray(), 0, 1_000_000_000);
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, 65535, 900000, 64, 0, 0, true, false, 45875, 58982, 1000, false);
        var output = Epoch.Run(hp, state);
        Assert.All(output.ValidatorEmission, e => Assert.Equal(99_999_999UL, e));
        Assert.All(output.ServerEmission, e => Assert.Equal(0UL, e));
    }
}
