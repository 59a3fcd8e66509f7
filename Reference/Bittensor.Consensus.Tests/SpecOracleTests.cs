using Microsoft.FSharp.Core;
using Xunit;
using Spec = Bittensor.Spec;
using SpecYuma = Bittensor.Spec.Yuma;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The Reference against the executable spec on inputs built to hit the edges: vectors shorter than n, entries that
/// point past n, self-weights and duplicates, an owner outside the permit vector, stakes near u64::MAX, extreme kappa,
/// bonds penalty and steepness, both eras, both bond rules, liquid alpha on unsorted rows.
/// </summary>
public class SpecOracleTests
{
    private static Spec.Fixed.I32F32 ToSpec(I32F32 x) => new(x.Bits);

    private static (Hyperparameters, EpochState) EdgeCase(int seed)
    {
        var rng = new Random(seed);
        var n = rng.Next(0, 9);
        ulong Pick(params ulong[] values) => values[rng.Next(values.Length)];
        int Short() => rng.Next(4) == 0 ? rng.Next(0, n + 1) : n; // sometimes shorter than n
        StoredEntry[] Row() => Enumerable.Range(0, rng.Next(0, n + 3)).Select(_ => new StoredEntry(rng.Next(0, n + 2), (ushort)(rng.Next(4) == 0 ? 65535 : rng.Next(0, 65536)))).ToArray();
        var block = Pick(10000, 100, 5);
        var hp = new Hyperparameters(
            rng.Next(4) == 0 ? Era.Before2025_10 : Era.Current, (ushort)rng.Next(0, 6000), (ushort)Pick(360, 0, 1, 20),
            Pick(13889, 0, ulong.MaxValue, 1000), (ushort)Pick(32767, 0, 65535, 32768, (ulong)rng.Next(65536)),
            (ushort)Pick(65535, 0, 32768, (ulong)rng.Next(65536)), Pick(900000, 0, 1000000, 975000), (ushort)rng.Next(0, n + 2),
            Pick(0, 0, 1000, ulong.MaxValue), Pick(0, ulong.MaxValue, 971718665099567868), rng.Next(2) == 0, rng.Next(2) == 0,
            (ushort)rng.Next(0, 32768), (ushort)rng.Next(32768, 65536), (short)Pick(1000, 0, 32767, 65535 /* −1 as u16 */, 40000), rng.Next(3) == 0);
        var state = new EpochState(
            n, block,
            Enumerable.Range(0, Short()).Select(_ => Pick(block, block - 1, 0, block > 7000 ? block - 7000 : 0)).ToArray(),
            Enumerable.Range(0, Short()).Select(_ => Pick(0, 0, block, block / 2, ulong.MaxValue)).ToArray(),
            Enumerable.Range(0, Short()).Select(_ => Pick(0, 1000, ulong.MaxValue, 1UL << 63, (ulong)rng.NextInt64())).ToArray(),
            Enumerable.Range(0, Short()).Select(_ => Pick(0, 0, ulong.MaxValue, 1_000_000_000)).ToArray(),
            rng.Next(3) == 0 ? rng.Next(0, n + 2) : null,
            Enumerable.Range(0, Short()).Select(_ => rng.Next(4) != 0).ToArray(),
            Enumerable.Range(0, rng.Next(0, n + 2)).Select(_ => Row()).ToArray(),
            Enumerable.Range(0, rng.Next(0, n + 2)).Select(_ => Row()).ToArray(),
            Enumerable.Range(0, Short()).Select(_ => Pick(ulong.MaxValue, 0, block, block / 2)).ToArray(),
            Pick(0, block - 1, ulong.MaxValue - 1), Pick(1_000_000_000, 0, ulong.MaxValue, 7));
        return (hp, state);
    }

    internal static SpecYuma.Hyperparameters ToSpec(Hyperparameters h) => new(
        h.Era == Era.Current ? SpecYuma.Era.Current : SpecYuma.Era.Before2025_10, h.ActivityCutoff, h.Tempo, h.ActivityCutoffFactorMilli,
        h.Kappa, h.BondsPenalty, h.BondsMovingAverage, h.MaxAllowedValidators, h.StakeThreshold, h.TaoWeight, h.Yuma3, h.LiquidAlpha,
        h.AlphaLow, h.AlphaHigh, h.AlphaSigmoidSteepness, h.CommitReveal);

    private static SpecYuma.StoredEntry[][] ToSpec(StoredEntry[][] rows) =>
        rows.Select(r => r.Select(e => new SpecYuma.StoredEntry(e.Uid, e.Value)).ToArray()).ToArray();

    internal static SpecYuma.EpochState ToSpec(EpochState s) => new(
        s.N, s.Block, s.LastUpdate, s.BlockAtRegistration, s.AlphaStake, s.TaoStake,
        s.OwnerUid is int o ? FSharpOption<int>.Some(o) : FSharpOption<int>.None, s.ValidatorPermits, ToSpec(s.Weights), ToSpec(s.Bonds),
        s.CommitBlocks, s.LastMechanismStepBlock, s.RaoEmission);

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 0; seed < 400; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_reference_epoch_matches_the_spec_on_edge_cases(int seed)
    {
        var (hp, state) = EdgeCase(seed);
        AssertMatchesSpec(hp, state, new EpochWorkspace());
    }

    /// <summary>One workspace for every seed, reused across epochs of different sizes and shapes.</summary>
    private static readonly EpochWorkspace SplitEverything = new() { ParallelThreshold = 0 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_pass_split_into_parallel_ranges_in_a_reused_workspace_matches_the_spec(int seed)
    {
        var (hp, state) = EdgeCase(seed);
        lock (SplitEverything) AssertMatchesSpec(hp, state, SplitEverything);
    }

    /// <summary>The reference's output in <paramref name="workspace"/> equals the spec's, field by field; where the
    /// spec stops with an overflow (the chain would panic), the reference must stop too.</summary>
    internal static void AssertMatchesSpec(Hyperparameters hp, EpochState state, EpochWorkspace workspace)
    {
        SpecYuma.EpochOutput expected;
        try { expected = SpecYuma.Epoch.run(ToSpec(hp), ToSpec(state)); }
        catch (OverflowException)
        {
            Assert.Throws<OverflowException>(() => Epoch.Run(hp, state, workspace));
            return;
        }
        var actual = Epoch.Run(hp, state, workspace);
        Assert.Equal(expected.Active, actual.Active);
        Assert.Equal(expected.StakeWeight, actual.StakeWeight);
        Assert.Equal(expected.Consensus, actual.Consensus);
        Assert.Equal(expected.Incentive, actual.Incentive);
        Assert.Equal(expected.Dividends, actual.Dividends);
        Assert.Equal(expected.ValidatorTrust, actual.ValidatorTrust);
        Assert.Equal(expected.ServerEmission, actual.ServerEmission);
        Assert.Equal(expected.ValidatorEmission, actual.ValidatorEmission);
        Assert.Equal(expected.Emission, actual.Emission);
        Assert.Equal(expected.NewValidatorPermits, actual.NewValidatorPermits);
        Assert.Equal(expected.Rank, actual.Rank);
        Assert.Equal(expected.Trust, actual.Trust);
        Assert.Equal(expected.PruningScore, actual.PruningScore);
        Assert.Equal(expected.Stake, actual.Stake);
        Assert.Equal(
            expected.Bonds.Select(r => string.Join(",", r.Select(e => $"{e.Uid}:{e.Value}"))),
            actual.Bonds.Select(r => string.Join(",", r.Select(e => $"{e.Uid}:{e.Value}"))));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Fixed_point_helpers_match_the_spec(int seed)
    {
        var rng = new Random(seed);
        I32F32 Any() => new(rng.Next(4) switch
        {
            0 => rng.NextInt64(),
            1 => -rng.NextInt64(),
            2 => rng.NextInt64(-(40L << 32), 40L << 32),
            _ => rng.NextInt64(0, (1L << 32) + 1),
        });
        var a = Any();
        var b = Any();
        Assert.Equal(Spec.Fixed.Fixed.saturatingMul(ToSpec(a), ToSpec(b)).Bits, I32F32.SaturatingMul(a, b).Bits);
        Assert.Equal(Spec.Fixed.Fixed.saturatingAdd(ToSpec(a), ToSpec(b)).Bits, I32F32.SaturatingAdd(a, b).Bits);
        Assert.Equal(Spec.Fixed.Fixed.saturatingSub(ToSpec(a), ToSpec(b)).Bits, I32F32.SaturatingSub(a, b).Bits);
        Assert.Equal(Spec.Fixed.Fixed.safeDiv(ToSpec(a), ToSpec(b)).Bits, I32F32.SafeDiv(a, b).Bits);
        var checkedMul = Spec.Fixed.Fixed.checkedMul(ToSpec(a), ToSpec(b));
        Assert.Equal(FSharpOption<Spec.Fixed.I32F32>.get_IsSome(checkedMul), I32F32.TryMul(a, b, out var product));
        if (FSharpOption<Spec.Fixed.I32F32>.get_IsSome(checkedMul)) Assert.Equal(checkedMul!.Value.Bits, product.Bits);
        if (b.Bits != 0) Assert.Equal(Spec.Fixed.Fixed.saturatingDiv(ToSpec(a), ToSpec(b)).Bits, I32F32.SaturatingDiv(a, b).Bits);
        Assert.Equal(Spec.Fixed.Fixed.saturatingToUInt16(ToSpec(a)), I32F32.SaturatingToUInt16(a));
        Assert.Equal(Spec.Fixed.Conversions.fixedProportionToU16(ToSpec(a)), Conversions.FixedProportionToU16(a));
        try
        {
            var rounded = Spec.Fixed.Fixed.round(ToSpec(a)).Bits;
            Assert.Equal(rounded, I32F32.Round(a).Bits);
        }
        catch (OverflowException) { Assert.Throws<OverflowException>(() => I32F32.Round(a)); }
        var x = new I32F32(rng.NextInt64(-(30L << 32), 30L << 32));
        var specExp = Spec.Fixed.Transcendental.exp(ToSpec(x));
        Assert.Equal(FSharpOption<Spec.Fixed.I32F32>.get_IsSome(specExp), Transcendental.TryExp(x, out var exp));
        if (FSharpOption<Spec.Fixed.I32F32>.get_IsSome(specExp)) Assert.Equal(specExp!.Value.Bits, exp.Bits);
        var (low, high) = (new I32F32(rng.NextInt64(0, 1L << 32)), new I32F32(rng.NextInt64(0, 1L << 32)));
        if (low > high) (low, high) = (high, low);
        var steepness = I32F32.FromInteger(rng.Next(-32768, 32768));
        Assert.Equal(
            Spec.Fixed.Transcendental.alphaSigmoid(ToSpec(a), ToSpec(b), ToSpec(x), ToSpec(low), ToSpec(high), ToSpec(steepness)).Bits,
            Transcendental.AlphaSigmoid(a, b, x, low, high, steepness).Bits);
        var vector = Enumerable.Range(0, rng.Next(0, 6)).Select(_ => rng.Next(3) == 0 ? I32F32.FromInteger(rng.Next(0, 70000)) : Any()).ToArray();
        Assert.Equal(Spec.Fixed.Conversions.vecMaxUpscaleToU16(vector.Select(ToSpec).ToArray()), Conversions.VecMaxUpscaleToU16(vector));
        var bma = (ulong)rng.NextInt64(0, 2_000_000);
        Assert.Equal(Spec.Fixed.Conversions.emaAlphaOfBondsMovingAverage(bma).Bits, Conversions.EmaAlphaOfBondsMovingAverage(bma).Bits);
    }

    [Fact]
    public void Boundary_values_of_the_fixed_point_operations()
    {
        Assert.Equal((long)int.MaxValue << 32, I32F32.FromInteger(int.MaxValue).Bits);
        Assert.Equal((long)int.MinValue << 32, I32F32.FromInteger(int.MinValue).Bits);
        Assert.True(I32F32.TryMul(I32F32.MaxValue, I32F32.One, out var max));
        Assert.Equal(I32F32.MaxValue, max);
        Assert.True(I32F32.TryMul(I32F32.MinValue, I32F32.One, out var min));
        Assert.Equal(I32F32.MinValue, min);
        Assert.True(I32F32.TryDiv(I32F32.MaxValue, I32F32.One, out var q));
        Assert.Equal(I32F32.MaxValue, q);
        Assert.True(I32F32.TryDiv(I32F32.MinValue, I32F32.One, out var r));
        Assert.Equal(I32F32.MinValue, r);
        Assert.True(I32F32.TryDiv(new I32F32((1L << 32) - 1), new I32F32(1), out _) == false, "2^32 − 1 ulps / 1 ulp overflows");
        Assert.Equal((long)(int.MaxValue) << 32, I32F32.Round(new I32F32(long.MaxValue - (1L << 31))).Bits);
        Assert.StartsWith("4768.3715820312 ", new I32F32(20480000000000).ToString());
        Assert.StartsWith("0.0000000002 ", new I32F32(1).ToString());
        Assert.StartsWith("-0.0000000002 ", new I32F32(-1).ToString());
    }
}
