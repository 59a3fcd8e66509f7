using System.Diagnostics;
using System.Numerics;

namespace Bittensor.Consensus;

/// <summary>
/// One Yuma epoch, computed for speed. It must agree bit for bit with the spec's <c>Epoch.run</c> (the conformance
/// vectors and the differential properties check it); each step names the spec function it mirrors. Where the spec
/// builds one matrix per step, this runs four passes over reusable buffers (<see cref="EpochWorkspace"/>), each in
/// parallel over rows or columns:
/// <list type="number">
/// <item>rows: mask and normalise the weights, each row sorted by column (<c>Weights.masked</c>);</item>
/// <item>columns: the stake-weighted median of each column (<c>Consensus.consensus</c>);</item>
/// <item>rows: clip, validator trust and ranks, the weights for bonds and the bonds EMA (<c>Consensus.clip</c>,
/// <c>Consensus.ranks</c>, <c>Consensus.weightsForBonds</c>, <c>Bonds.ema</c>);</item>
/// <item>rows: the column-normalised bonds times incentive, the dividends (<c>Bonds.yuma3</c>).</item>
/// </list>
/// Sums across rows are combined from per-task partial sums. That is exact: every such sum adds non-negative terms,
/// and a saturating sum of non-negative terms is min(exact sum, max) in any order. Terms that may be negative (an EMA
/// with a bonds moving average above 10^6 makes α negative) are only ever added within one row, in the spec's order.
/// </summary>
public static partial class Epoch
{
    /// <summary>One epoch with fresh buffers.</summary>
    public static EpochOutput Run(Hyperparameters hp, EpochState s) => Run(hp, s, new EpochWorkspace());

    /// <summary>One epoch in <paramref name="workspace"/>'s buffers (reuse it across epochs: the buffers only grow).</summary>
    public static EpochOutput Run(Hyperparameters hp, EpochState s, EpochWorkspace workspace)
    {
        workspace.Enter();
        try { return RunIn(workspace, hp, s); }
        finally { workspace.Exit(); }
    }

    private static EpochOutput RunIn(EpochWorkspace ws, Hyperparameters hp, EpochState s)
    {
        var legacy = hp.Era == Era.Before2025_10;
        var owner = legacy ? null : s.OwnerUid; // no owner rules before 2026-03
        var n = s.N;
        var epochStart = Stopwatch.GetTimestamp();

        // 1. Activity (Activity.inactive)
        var cutoff = ActivityCutoff(hp);
        var lastUpdateLength = Math.Max(n, s.LastUpdate.Length);
        var inactive = new bool[lastUpdateLength];
        for (var i = 0; i < lastUpdateLength; i++)
        {
            var updated = i < s.LastUpdate.Length ? s.LastUpdate[i] : 0UL;
            var until = updated > ulong.MaxValue - cutoff ? ulong.MaxValue : updated + cutoff;
            inactive[i] = until < s.Block;
        }

        // 2. Stake (Stake.total, Stake.weights)
        var total = TotalStake(hp, s);
        var stake = StakeWeights(hp, owner, total);

        // 3. Permits (Stake.storedPermits, Stake.newPermits)
        var permits = (bool[])s.ValidatorPermits.Clone();
        if (owner is int o && o < permits.Length) permits[o] = true;
        var newPermits = IsTopkNonzero(stake, hp.MaxAllowedValidators);
        if (owner is int p && p < newPermits.Length) newPermits[p] = true;

        // 4. Active stake (Stake.active): masks of length 0 mask nothing; beyond a mask's end counts as masked.
        var activeStake = new long[n];
        for (var i = 0; i < n; i++)
        {
            var isInactive = i >= inactive.Length || inactive[i];
            var forbidden = permits.Length > 0 && (i >= permits.Length || !permits[i]);
            activeStake[i] = isInactive || forbidden ? 0 : stake[i];
        }
        Normalize(activeStake);

        // 5. Weights (pass 1), 6. consensus (pass 2)
        var ratio = Conversions.U16ProportionToFixed(hp.BondsPenalty).Bits;
        var liquid = hp.Yuma3 && hp.LiquidAlpha;
        var weightsStart = Stopwatch.GetTimestamp();
        MaskedWeights(ws, hp, s, owner, permits, keepSubmissionOrder: liquid && (ratio == 0 || ratio == I32F32.OneBits));
        var weightsTime = Stopwatch.GetElapsedTime(weightsStart);
        var consensusStart = Stopwatch.GetTimestamp();
        ws.FullRowConsensusInLastEpoch = false;
        var consensus = ConsensusOf(ws, activeStake, n, Conversions.U16ProportionToFixed(hp.Kappa).Bits);
        ws.LastConsensus = consensus;
        var consensusTime = Stopwatch.GetElapsedTime(consensusStart);

        // 7–12. Clip, trust, ranks, weights for bonds, bonds and dividends (passes 3 and 4)
        var bondsStart = Stopwatch.GetTimestamp();
        ws.FullRowsInLastEpoch = 0;
        var lastTempo = s.LastMechanismStepBlock == 0 || legacy ? (s.Block > hp.Tempo ? s.Block - hp.Tempo : 0UL) : s.LastMechanismStepBlock + 1;
        var passes = new BondsPass(ws, hp, s, n, lastTempo, consensus, activeStake, newPermits, ratio, legacy);
        var (validatorTrust, ranks, preranks, incentive, dividends, bonds) = hp.Yuma3 ? passes.Yuma3() : passes.Original();
        var bondsTime = Stopwatch.GetElapsedTime(bondsStart);

        // 13–14. Emission (Emission.shares, Emission.amounts)
        var length = Math.Min(incentive.Length, dividends.Length);
        var combined = new long[length];
        long combinedSum = 0;
        for (var i = 0; i < length; i++)
        {
            combined[i] = I32F32.SaturatingAdd(new(incentive[i]), new(dividends[i])).Bits;
            combinedSum = checked(combinedSum + combined[i]);
        }
        long[] server, validator, combinedShare;
        if (combinedSum == 0)
        {
            var fallback = IsZero(activeStake) ? stake : activeStake;
            server = (long[])incentive.Clone();
            validator = (long[])fallback.Clone();
            combinedShare = (long[])fallback.Clone();
        }
        else
        {
            server = DivideAll(incentive, combinedSum);
            validator = DivideAll(dividends, combinedSum);
            combinedShare = combined;
            Normalize(combinedShare);
        }

        // 15–16. Outputs
        var stakeOut = new ulong[n];
        for (var i = 0; i < n; i++) stakeOut[i] = total[i] < 0 ? 0 : (ulong)(total[i] >> 64);

        ushort[] Filled(ushort value) { var a = new ushort[n]; Array.Fill(a, value); return a; }
        var output = new EpochOutput(
            Active: FirstN(inactive.Select(x => !x).ToArray(), n),
            StakeWeight: ToU16(stake),
            Consensus: ToU16(consensus),
            Incentive: ToU16(incentive),
            Dividends: FirstN(ToU16(dividends), n),
            ValidatorTrust: ToU16(validatorTrust),
            ServerEmission: FirstN(Amounts(s.RaoEmission, server), n),
            ValidatorEmission: FirstN(Amounts(s.RaoEmission, validator), n),
            Emission: FirstN(Amounts(s.RaoEmission, combinedShare), n),
            NewValidatorPermits: newPermits,
            Rank: legacy ? ToU16(incentive) : Filled(0),
            Trust: legacy ? ToU16(VecDiv(ranks, preranks)) : Filled(0),
            PruningScore: legacy ? FirstN(Conversions.VecMaxUpscaleToU16(combinedShare.Select(b => new I32F32(b)).ToArray()), n) : Filled(ushort.MaxValue),
            Bonds: bonds,
            Stake: stakeOut);
        ws.LastPassTimes = new EpochPassTimes(weightsTime, consensusTime, bondsTime, Stopwatch.GetElapsedTime(epochStart));
        return output;
    }

    /// <summary>Activity.cutoff.</summary>
    public static ulong ActivityCutoff(Hyperparameters hp)
    {
        if (hp.Era == Era.Before2025_10) return hp.ActivityCutoff;
        var product = hp.ActivityCutoffFactorMilli > 0 && hp.Tempo > ulong.MaxValue / hp.ActivityCutoffFactorMilli
            ? ulong.MaxValue : hp.ActivityCutoffFactorMilli * hp.Tempo;
        return Math.Max(product / 1000, 1);
    }

    private static readonly Int128 I64F64Max = Int128.MaxValue;

    /// <summary>Stake.total: S_i = α_i + t_i·w_tao in I64F64 bits (saturating).</summary>
    private static Int128[] TotalStake(Hyperparameters hp, EpochState s)
    {
        // w_tao = U96F32(TaoWeight) / U96F32(2^64 − 1), truncating, widened to 64 fraction bits
        var weightU96 = ((BigInteger)hp.TaoWeight << 32) / ulong.MaxValue;
        var weightBits = weightU96 << 32;
        var total = new Int128[s.N];
        for (var i = 0; i < s.N; i++)
        {
            var alpha = i < s.AlphaStake.Length ? s.AlphaStake[i] : 0UL;
            var tao = i < s.TaoStake.Length ? s.TaoStake[i] : 0UL;
            var alphaBits = Min((BigInteger)alpha << 64, I64F64Max);
            var taoBits = Min((BigInteger)tao << 64, I64F64Max);
            var product = Min((taoBits * weightBits) >> 64, I64F64Max);
            total[i] = (Int128)Min(alphaBits + product, I64F64Max);
        }
        return total;
    }

    private static BigInteger Min(BigInteger a, Int128 b) => a > b ? b : a;

    /// <summary>Stake.weights: the threshold filter, normalisation in I64F64, floor to I32F32.</summary>
    private static long[] StakeWeights(Hyperparameters hp, int? owner, Int128[] total)
    {
        var filtered = new BigInteger[total.Length];
        BigInteger sum = 0;
        for (var i = 0; i < total.Length; i++)
        {
            var whole = total[i] < 0 ? 0UL : (ulong)(total[i] >> 64);
            filtered[i] = owner != i && whole < hp.StakeThreshold ? BigInteger.Zero : (BigInteger)total[i];
            sum += filtered[i];
        }
        if (sum > I64F64Max) throw new OverflowException("the total stake exceeds the I64F64 range");
        var stake = new long[total.Length];
        for (var i = 0; i < total.Length; i++)
        {
            var normalized = sum.IsZero ? filtered[i] : BigInteger.Divide(filtered[i] << 64, sum);
            if (!sum.IsZero && normalized > I64F64Max) normalized = 0; // safe_div: 0 on overflow
            var floored = normalized >> 32; // I64F64 → I32F32, floor
            stake[i] = floored > long.MaxValue ? long.MaxValue : floored < long.MinValue ? long.MinValue : (long)floored;
        }
        return stake;
    }

    /// <summary>Vector.isTopkNonzero: the k largest non-zero entries; ties drop lower uids first.</summary>
    public static bool[] IsTopkNonzero(long[] v, int k)
    {
        var result = new bool[v.Length];
        for (var i = 0; i < v.Length; i++) result[i] = v[i] != 0;
        if (v.Length < k) return result;
        var order = Enumerable.Range(0, v.Length).ToArray();
        Array.Sort(order, (a, b) => v[a] != v[b] ? v[a].CompareTo(v[b]) : a.CompareTo(b));
        for (var r = 0; r < v.Length - k; r++) result[order[r]] = false;
        return result;
    }

    /// <summary>Vector.normalize in place: divide by the plain sum (truncating, safe_div), unless it is 0.</summary>
    public static void Normalize(long[] x)
    {
        long sum = 0;
        foreach (var v in x) sum = checked(sum + v);
        if (sum == 0) return;
        for (var i = 0; i < x.Length; i++) x[i] = I32F32.SafeDiv(new(x[i]), new(sum)).Bits;
    }

    private static long[] DivideAll(long[] x, long divisor)
    {
        var result = new long[x.Length];
        for (var i = 0; i < x.Length; i++) result[i] = I32F32.SafeDiv(new(x[i]), new(divisor)).Bits;
        return result;
    }

    private static bool IsZero(long[] x)
    {
        long sum = 0;
        foreach (var v in x) sum = checked(sum + v);
        return sum == 0;
    }

    private static long[] VecDiv(long[] x, long[] y)
    {
        var result = new long[x.Length];
        for (var i = 0; i < x.Length; i++) result[i] = I32F32.SafeDiv(new(x[i]), new(i < y.Length ? y[i] : 0)).Bits;
        return result;
    }

    /// <summary>Emission.amounts: ⌊share · rao⌋ through I96F32, clamped to u64.</summary>
    private static ulong[] Amounts(ulong rao, long[] shares)
    {
        var result = new ulong[shares.Length];
        for (var i = 0; i < shares.Length; i++)
        {
            var product = ((Int128)shares[i] * rao) >> I32F32.FractionBits;
            result[i] = product < 0 ? 0 : product > ulong.MaxValue ? ulong.MaxValue : (ulong)product;
        }
        return result;
    }

    private static ushort[] ToU16(long[] v)
    {
        var result = new ushort[v.Length];
        for (var i = 0; i < v.Length; i++) result[i] = Conversions.FixedProportionToU16(new(v[i]));
        return result;
    }

    private static T[] FirstN<T>(T[] v, int n)
    {
        var result = new T[n];
        Array.Copy(v, result, Math.Min(n, v.Length));
        return result;
    }
}
