using System.Numerics;

namespace Bittensor.Consensus;

/// <summary>
/// One Yuma epoch, computed for speed: compressed sparse rows, one pass where the spec takes several, the consensus as
/// a sort of each column's votes instead of a quick-select. It must agree bit for bit with the spec's
/// <c>Epoch.run</c> (the conformance vectors and the differential properties check it); each step below names the
/// spec function it mirrors. Compared to the spec: the masks of step 5 are applied in one filter; the weighted median
/// is computed from its characterisation (the smallest vote whose cumulative stake exceeds the minority), which the
/// spec's tests prove equal to the chain's quick-select; clipping, validator trust and ranks share one pass.
/// </summary>
public static class Epoch
{
    public static EpochOutput Run(Hyperparameters hp, EpochState s)
    {
        var legacy = hp.Era == Era.Before2025_10;
        var owner = legacy ? null : s.OwnerUid; // no owner rules before 2026-03
        var n = s.N;

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

        // 5. Weights (Weights.masked), 6. consensus, 7–9. clip, trust, ranks, 10. weights for bonds
        var weights = MaskedWeights(hp, s, owner, permits);
        var consensus = ConsensusOf(weights, activeStake, n, Conversions.U16ProportionToFixed(hp.Kappa).Bits);
        var (clipped, validatorTrust, ranks, preranks) = ClipAndRank(weights, consensus, activeStake, n, legacy);
        var incentive = (long[])ranks.Clone();
        Normalize(incentive);
        var weightsForBonds = Interpolate(weights, clipped, n, Conversions.U16ProportionToFixed(hp.BondsPenalty).Bits);

        // 11–12. Bonds and dividends (Bonds.yuma3, Bonds.original)
        var lastTempo = s.LastMechanismStepBlock == 0 || legacy ? (s.Block > hp.Tempo ? s.Block - hp.Tempo : 0UL) : s.LastMechanismStepBlock + 1;
        SparseMatrix storedBonds;
        long[] dividends;
        if (hp.Yuma3)
            (storedBonds, dividends) = BondsYuma3(hp, s, n, lastTempo, weightsForBonds, consensus, incentive, activeStake);
        else
            (storedBonds, dividends) = BondsOriginal(hp, s, n, lastTempo, weightsForBonds, incentive, activeStake);

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
        var bonds = new StoredEntry[n][];
        for (var i = 0; i < n; i++)
        {
            if (!newPermits[i] || i >= storedBonds.Rows) { bonds[i] = []; continue; }
            var row = new StoredEntry[storedBonds.RowLength(i)];
            for (int k = storedBonds.Start[i], r = 0; k < storedBonds.Start[i + 1]; k++, r++)
                row[r] = new StoredEntry(storedBonds.Col[k], Conversions.FixedProportionToU16(new(storedBonds.Val[k])));
            bonds[i] = row;
        }
        var stakeOut = new ulong[n];
        for (var i = 0; i < n; i++) stakeOut[i] = total[i] < 0 ? 0 : (ulong)(total[i] >> 64);

        ushort[] Filled(ushort value) { var a = new ushort[n]; Array.Fill(a, value); return a; }
        return new EpochOutput(
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

    /// <summary>Weights.masked in one filter: permit rows, the diagonal (except the owner's), outdated entries and, with
    /// commit-reveal, entries older than the commit; then each row normalised. The weights are integers (u16 · 2^32), so
    /// the normalising division (w·2^32)·2^32 / (S·2^32) is computed exactly as (w·2^32) / S in 64 bits.</summary>
    private static SparseMatrix MaskedWeights(Hyperparameters hp, EpochState s, int? owner, bool[] permits)
    {
        var n = s.N;
        var capacity = 0;
        for (var i = 0; i < Math.Min(n, s.Weights.Length); i++) capacity += s.Weights[i].Length;
        var start = new int[n + 1];
        var col = new int[capacity];
        var val = new long[capacity];
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            start[i] = count;
            if (i >= permits.Length || !permits[i] || i >= s.Weights.Length) continue;
            var updated = i < s.LastUpdate.Length ? s.LastUpdate[i] : 0UL;
            var commitBlock = i < s.CommitBlocks.Length ? s.CommitBlocks[i] : 0UL;
            long sum = 0; // Σ w, in whole units
            var rowStart = count;
            foreach (var e in s.Weights[i])
            {
                if (e.Uid >= n) continue;
                if (e.Uid == i && owner != i) continue;
                var registered = e.Uid < s.BlockAtRegistration.Length ? s.BlockAtRegistration[e.Uid] : 0UL;
                if (updated <= registered) continue;
                if (hp.CommitReveal && commitBlock < registered) continue;
                col[count] = e.Uid;
                val[count] = e.Value;
                sum += e.Value;
                count++;
            }
            _ = checked(sum << I32F32.FractionBits); // the spec's I32F32 row sum must not overflow
            for (var k = rowStart; k < count; k++)
                val[k] = sum > 0 ? (val[k] << I32F32.FractionBits) / sum : val[k] << I32F32.FractionBits;
        }
        start[n] = count;
        return new SparseMatrix(n, start, col[..count], val[..count]);
    }

    /// <summary>
    /// Consensus (Sparse.weightedMedianCol): for each column, the smallest vote s whose cumulative normalised stake
    /// W(≤ s) exceeds minority = σ − κ; the largest vote when none does; 0 without voters. Voters are the uids with
    /// positive active stake; a voter without a cell in a column votes 0; a row's later duplicate overwrites.
    /// The votes are gathered column by column (a counting sort of the cells) and each column's quantile is found by
    /// an in-place three-way quick-select, so the whole step is linear in the number of weights on average; large
    /// matrices are processed in parallel over columns.
    /// </summary>
    private static long[] ConsensusOf(SparseMatrix weights, long[] activeStake, int n, long kappa)
    {
        var consensus = new long[n];
        var normalizedOf = new long[activeStake.Length];
        var voters = 0;
        for (var i = 0; i < activeStake.Length; i++) if (activeStake[i] > 0) { normalizedOf[i] = activeStake[i]; voters++; }
        if (voters == 0) return consensus;
        // normalise the positive stakes exactly as the spec does (plain sum, truncating division)
        long positiveSum = 0;
        for (var i = 0; i < activeStake.Length; i++) if (activeStake[i] > 0) positiveSum = checked(positiveSum + activeStake[i]);
        long sigma = 0;
        for (var i = 0; i < activeStake.Length; i++)
        {
            if (activeStake[i] <= 0) continue;
            normalizedOf[i] = I32F32.SafeDiv(new(activeStake[i]), new(positiveSum)).Bits;
            sigma += normalizedOf[i];
        }
        var minority = I32F32.SaturatingSub(new(sigma), new(kappa)).Bits;

        // Gather each voter's cells by column; a duplicate column in a row keeps its last value.
        var rows = Math.Min(weights.Rows, activeStake.Length);
        var lastPosition = new int[n];
        Array.Fill(lastPosition, -1);
        var counts = new int[n + 1];
        var owner = new int[weights.Count]; // for each cell: -1 when superseded by a later duplicate in its row
        for (var r = 0; r < rows; r++)
        {
            if (activeStake[r] <= 0) continue;
            for (var c = weights.Start[r]; c < weights.Start[r + 1]; c++)
            {
                var j = weights.Col[c];
                owner[c] = -1;
                if (j >= n) continue;
                if (lastPosition[j] >= weights.Start[r]) owner[lastPosition[j]] = -1; else counts[j + 1]++;
                lastPosition[j] = c;
                owner[c] = r;
            }
        }
        for (var j = 0; j < n; j++) counts[j + 1] += counts[j];
        var scores = new long[counts[n]];
        var stakes = new long[counts[n]];
        var fill = (int[])counts.Clone();
        for (var r = 0; r < rows; r++)
        {
            if (activeStake[r] <= 0) continue;
            for (var c = weights.Start[r]; c < weights.Start[r + 1]; c++)
            {
                if (owner[c] != r) continue;
                var j = weights.Col[c];
                scores[fill[j]] = weights.Val[c];
                stakes[fill[j]] = normalizedOf[r];
                fill[j]++;
            }
        }

        void Column(int j)
        {
            int start = counts[j], end = counts[j + 1];
            long positiveStake = 0;
            var positiveCells = 0;
            for (var k = start; k < end; k++) if (scores[k] != 0) { positiveStake += stakes[k]; positiveCells++; }
            var hasZeroVote = end - start < voters || positiveCells < end - start;
            var below = sigma - positiveStake; // W(≤ 0): voters without a cell and explicit zero cells
            if (hasZeroVote && below > minority) { consensus[j] = 0; return; }
            if (!hasZeroVote) below = 0;
            // compact the positive cells to the front of the segment
            var m = start;
            for (var k = start; k < end; k++)
                if (scores[k] != 0) { (scores[m], scores[k]) = (scores[k], scores[m]); (stakes[m], stakes[k]) = (stakes[k], stakes[m]); m++; }
            consensus[j] = WeightedQuantile(scores, stakes, start, m, below, minority);
        }

        if (weights.Count >= 1 << 18) Parallel.For(0, n, Column);
        else for (var j = 0; j < n; j++) Column(j);
        return consensus;
    }

    /// <summary>The smallest score in [lo, hi) at which <paramref name="below"/> plus the stake of scores up to it exceeds
    /// <paramref name="minority"/>; the largest score when none does; 0 for an empty range. Three-way quick-select on
    /// the segment, in place, with the middle element as pivot.</summary>
    private static long WeightedQuantile(long[] scores, long[] stakes, int lo, int hi, long below, long minority)
    {
        if (lo >= hi) return 0;
        long largest = long.MinValue;
        for (var k = lo; k < hi; k++) if (scores[k] > largest) largest = scores[k];
        while (lo < hi)
        {
            var pivot = scores[lo + (hi - lo) / 2];
            // partition into [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot
            int lt = lo, i = lo, gt = hi;
            long lessStake = 0, equalStake = 0;
            while (i < gt)
            {
                if (scores[i] < pivot)
                {
                    lessStake += stakes[i];
                    (scores[lt], scores[i]) = (scores[i], scores[lt]);
                    (stakes[lt], stakes[i]) = (stakes[i], stakes[lt]);
                    lt++; i++;
                }
                else if (scores[i] > pivot)
                {
                    gt--;
                    (scores[gt], scores[i]) = (scores[i], scores[gt]);
                    (stakes[gt], stakes[i]) = (stakes[i], stakes[gt]);
                }
                else { equalStake += stakes[i]; i++; }
            }
            // narrow to the smaller votes only if there are any: with none, the pivot is the smallest vote left
            if (lt > lo && below + lessStake > minority) hi = lt;
            else if (below + lessStake + equalStake > minority) return pivot;
            else { below += lessStake + equalStake; lo = gt; }
        }
        return largest;
    }

    /// <summary>Consensus.clip, Consensus.validatorTrust and Consensus.ranks (clipped and, before 2025-10, unclipped)
    /// in one pass over the weights.</summary>
    private static (SparseMatrix Clipped, long[] Trust, long[] Ranks, long[] Preranks) ClipAndRank(
        SparseMatrix weights, long[] consensus, long[] activeStake, int n, bool withPreranks)
    {
        var builder = new SparseMatrix.Builder(weights.Count);
        var trust = new long[weights.Rows];
        var ranks = new long[n];
        var preranks = new long[n];
        for (var i = 0; i < weights.Rows; i++)
        {
            var a = new I32F32(i < activeStake.Length ? activeStake[i] : 0);
            long rowSum = 0;
            for (var k = weights.Start[i]; k < weights.Start[i + 1]; k++)
            {
                var j = weights.Col[k];
                var w = weights.Val[k];
                var c = j < consensus.Length ? consensus[j] : 0;
                if (withPreranks && j < n) preranks[j] = I32F32.SaturatingAdd(new(preranks[j]), I32F32.SaturatingMul(a, new(w))).Bits;
                long kept;
                if (c < w)
                {
                    if (c <= 0) continue;
                    kept = c;
                }
                else kept = w;
                builder.Add(j, kept);
                rowSum = checked(rowSum + kept);
                if (j < n) ranks[j] = I32F32.SaturatingAdd(new(ranks[j]), I32F32.SaturatingMul(a, new(kept))).Bits;
            }
            builder.EndRow();
            trust[i] = rowSum;
        }
        return (builder.Build(), trust, ranks, preranks);
    }

    /// <summary>Consensus.weightsForBonds (Sparse.interpolate): W + β(W̄ − W), positive cells in column order.</summary>
    private static SparseMatrix Interpolate(SparseMatrix a, SparseMatrix b, int n, long ratio)
    {
        if (ratio == 0) return a;
        if (ratio == I32F32.OneBits) return b;
        var builder = new SparseMatrix.Builder(a.Count + b.Count);
        var rowA = new long[n];
        var rowB = new long[n];
        for (var i = 0; i < a.Rows; i++)
        {
            Array.Clear(rowA);
            Array.Clear(rowB);
            for (var k = a.Start[i]; k < a.Start[i + 1]; k++) if (a.Col[k] < n) rowA[a.Col[k]] = a.Val[k];
            for (var k = b.Start[i]; k < b.Start[i + 1]; k++) if (b.Col[k] < n) rowB[b.Col[k]] = b.Val[k];
            for (var j = 0; j < n; j++)
            {
                var v = I32F32.SaturatingAdd(new(rowA[j]), I32F32.SaturatingMul(new(ratio), I32F32.SaturatingSub(new(rowB[j]), new(rowA[j])))).Bits;
                if (v > 0) builder.Add(j, v);
            }
            builder.EndRow();
        }
        return builder.Build();
    }

    /// <summary>Weights.load for bonds (rows below n, every column kept) and Bonds.dropRecentlyRegistered.</summary>
    private static SparseMatrix LoadBonds(EpochState s, int n, ulong lastTempo, bool asProportion)
    {
        var builder = new SparseMatrix.Builder(s.Bonds.Sum(r => r.Length));
        for (var i = 0; i < n; i++)
        {
            if (i < s.Bonds.Length)
            {
                foreach (var e in s.Bonds[i])
                {
                    var registered = e.Uid < s.BlockAtRegistration.Length ? s.BlockAtRegistration[e.Uid] : 0UL;
                    if (lastTempo <= registered) continue;
                    builder.Add(e.Uid, asProportion ? ((long)e.Value << I32F32.FractionBits) / 65535L : (long)e.Value << I32F32.FractionBits);
                }
            }
            builder.EndRow();
        }
        return builder.Build();
    }

    /// <summary>Sparse.colNormalize (columns below n; saturating column sums).</summary>
    private static SparseMatrix ColNormalize(SparseMatrix m, int n)
    {
        var totals = new long[n];
        for (var k = 0; k < m.Count; k++) if (m.Col[k] < n) totals[m.Col[k]] = I32F32.SaturatingAdd(new(totals[m.Col[k]]), new(m.Val[k])).Bits;
        return DivideByColumn(m, n, totals);
    }

    /// <summary>Sparse.colMaxUpscale.</summary>
    private static SparseMatrix ColMaxUpscale(SparseMatrix m, int n)
    {
        var totals = new long[n];
        for (var k = 0; k < m.Count; k++) if (m.Col[k] < n && totals[m.Col[k]] < m.Val[k]) totals[m.Col[k]] = m.Val[k];
        return DivideByColumn(m, n, totals);
    }

    private static SparseMatrix DivideByColumn(SparseMatrix m, int n, long[] totals)
    {
        var values = new long[m.Count];
        for (var k = 0; k < m.Count; k++)
        {
            var t = m.Col[k] < n ? totals[m.Col[k]] : 0;
            values[k] = t != 0 ? I32F32.SafeDiv(new(m.Val[k]), new(t)).Bits : m.Val[k];
        }
        return new SparseMatrix(m.Rows, m.Start, m.Col, values);
    }

    /// <summary>Sparse.matEma: α·new + (1 − α)·old over n columns, positive cells in column order.</summary>
    private static SparseMatrix MatEma(SparseMatrix next, SparseMatrix old, long alpha)
    {
        var n = next.Rows;
        var keep = I32F32.SaturatingSub(I32F32.One, new(alpha));
        var builder = new SparseMatrix.Builder(next.Count + old.Count);
        var acc = new long[n];
        for (var i = 0; i < n; i++)
        {
            Array.Clear(acc);
            for (var k = next.Start[i]; k < next.Start[i + 1]; k++)
                if (next.Col[k] < n) acc[next.Col[k]] = I32F32.SaturatingAdd(new(acc[next.Col[k]]), I32F32.SaturatingMul(new(alpha), new(next.Val[k]))).Bits;
            if (i < old.Rows)
                for (var k = old.Start[i]; k < old.Start[i + 1]; k++)
                    if (old.Col[k] < n) acc[old.Col[k]] = I32F32.SaturatingAdd(new(acc[old.Col[k]]), I32F32.SaturatingMul(keep, new(old.Val[k]))).Bits;
            for (var j = 0; j < n; j++) if (acc[j] > 0) builder.Add(j, acc[j]);
            builder.EndRow();
        }
        return builder.Build();
    }

    /// <summary>Bonds.liquidAlphas + Sparse.matEmaAlpha, computing α only where it is used: for row i, the columns of
    /// its new and old cells, each looked up through the chain's forward-only cursors (which assume sorted rows).</summary>
    private static SparseMatrix MatEmaLiquid(Hyperparameters hp, SparseMatrix next, SparseMatrix old, long[] consensus)
    {
        var columns = consensus.Length;
        var low = Conversions.U16ProportionToFixed(hp.AlphaLow);
        var high = Conversions.U16ProportionToFixed(hp.AlphaHigh);
        var steepness = I32F32.FromInteger(hp.AlphaSigmoidSteepness);
        var builder = new SparseMatrix.Builder(next.Count);
        var alpha = new long[columns];
        var decayed = new long[columns];
        var needed = new List<int>();
        var mark = new int[columns];
        Array.Fill(mark, -1);
        for (var i = 0; i < next.Rows; i++)
        {
            needed.Clear();
            for (var k = next.Start[i]; k < next.Start[i + 1]; k++) if (next.Col[k] < columns && mark[next.Col[k]] != i) { mark[next.Col[k]] = i; needed.Add(next.Col[k]); }
            for (var k = old.Start[i]; k < old.Start[i + 1]; k++) if (old.Col[k] < columns && mark[old.Col[k]] != i) { mark[old.Col[k]] = i; needed.Add(old.Col[k]); }
            needed.Sort();
            int wPos = next.Start[i], bPos = old.Start[i];
            foreach (var j in needed)
            {
                while (wPos < next.Start[i + 1] && next.Col[wPos] < j) wPos++;
                while (bPos < old.Start[i + 1] && old.Col[bPos] < j) bPos++;
                var w = wPos < next.Start[i + 1] && next.Col[wPos] == j ? next.Val[wPos] : 0;
                var b = bPos < old.Start[i + 1] && old.Col[bPos] == j ? old.Val[bPos] : 0;
                alpha[j] = Transcendental.AlphaSigmoid(new(consensus[j]), new(w), new(b), low, high, steepness).Bits;
                decayed[j] = 0;
            }
            for (var k = old.Start[i]; k < old.Start[i + 1]; k++)
            {
                var j = old.Col[k];
                if (j < columns) decayed[j] = I32F32.SaturatingMul(I32F32.SaturatingSub(I32F32.One, new(alpha[j])), new(old.Val[k])).Bits;
            }
            for (var k = next.Start[i]; k < next.Start[i + 1]; k++)
            {
                var j = next.Col[k];
                if (j >= columns) continue;
                var increment = Math.Max(I32F32.SaturatingMul(new(alpha[j]), new(next.Val[k])).Bits, 0);
                var v = Math.Min(I32F32.SaturatingAdd(new(decayed[j]), new(increment)).Bits, I32F32.OneBits);
                if (v > 0) builder.Add(j, v);
            }
            builder.EndRow();
        }
        return builder.Build();
    }

    /// <summary>Bonds.yuma3.</summary>
    private static (SparseMatrix Stored, long[] Dividends) BondsYuma3(
        Hyperparameters hp, EpochState s, int n, ulong lastTempo, SparseMatrix weightsForBonds, long[] consensus, long[] incentive, long[] activeStake)
    {
        var bonds = LoadBonds(s, n, lastTempo, asProportion: true);
        var liquid = hp.LiquidAlpha && consensus.Any(c => c != 0);
        SparseMatrix ema;
        if (liquid)
            ema = weightsForBonds.Rows == bonds.Rows ? MatEmaLiquid(hp, weightsForBonds, bonds, consensus) : weightsForBonds;
        else
            ema = MatEma(weightsForBonds, bonds, Conversions.EmaAlphaOfBondsMovingAverage(hp.BondsMovingAverage).Bits);
        var normalized = ColNormalize(ema, n);
        var dividends = new long[Math.Min(normalized.Rows, activeStake.Length)];
        for (var i = 0; i < dividends.Length; i++)
        {
            long perValidator = 0;
            for (var k = normalized.Start[i]; k < normalized.Start[i + 1]; k++)
            {
                var j = normalized.Col[k];
                if (j >= incentive.Length) continue;
                var product = I32F32.SaturatingMul(new(normalized.Val[k]), new(incentive[j])).Bits;
                if (product != 0) perValidator = checked(perValidator + product);
            }
            dividends[i] = I32F32.TryMul(new(perValidator), new(activeStake[i]), out var d) ? d.Bits : 0;
        }
        Normalize(dividends);
        return (ema, dividends);
    }

    /// <summary>Bonds.original.</summary>
    private static (SparseMatrix Stored, long[] Dividends) BondsOriginal(
        Hyperparameters hp, EpochState s, int n, ulong lastTempo, SparseMatrix weightsForBonds, long[] incentive, long[] activeStake)
    {
        var bonds = ColNormalize(LoadBonds(s, n, lastTempo, asProportion: false), n);
        var rows = Math.Min(weightsForBonds.Rows, activeStake.Length);
        var scaled = new long[weightsForBonds.Start[rows]];
        for (var i = 0; i < rows; i++)
            for (var k = weightsForBonds.Start[i]; k < weightsForBonds.Start[i + 1]; k++)
                scaled[k] = I32F32.SaturatingMul(new(weightsForBonds.Val[k]), new(activeStake[i])).Bits;
        var delta = ColNormalize(new SparseMatrix(rows, weightsForBonds.Start[..(rows + 1)], weightsForBonds.Col[..weightsForBonds.Start[rows]], scaled), n);
        var ema = ColNormalize(MatEma(delta, bonds, Conversions.EmaAlphaOfBondsMovingAverage(hp.BondsMovingAverage).Bits), n);
        var dividends = new long[ema.Rows];
        for (var i = 0; i < ema.Rows; i++)
        {
            long acc = 0;
            for (var k = ema.Start[i]; k < ema.Start[i + 1]; k++)
            {
                var j = ema.Col[k];
                var inc = j < incentive.Length ? incentive[j] : 0;
                acc = I32F32.SaturatingAdd(new(acc), I32F32.SaturatingMul(new(inc), new(ema.Val[k]))).Bits;
            }
            dividends[i] = acc;
        }
        Normalize(dividends);
        return (ColMaxUpscale(ema, n), dividends);
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
