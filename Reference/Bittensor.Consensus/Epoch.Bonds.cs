namespace Bittensor.Consensus;

public static partial class Epoch
{
    internal readonly record struct BondsResult(
        long[] ValidatorTrust, long[] Ranks, long[] Preranks, long[] Incentive, long[] Dividends, StoredEntry[][] Bonds);

    /// <summary>
    /// Steps 7–12 over the masked weights and the consensus: passes 3 and 4 (and, for the original bonds, the further
    /// passes its column normalisations need). Row i of every intermediate matrix is built in one task's scratch and
    /// consumed at once; only the EMA bonds (and the original rule's scaled weights) are kept between passes.
    /// </summary>
    internal sealed partial class BondsPass(
        EpochWorkspace ws, Hyperparameters hp, EpochState s, int n, ulong lastTempo, long[] consensus, long[] activeStake,
        bool[] newPermits, long ratio, bool legacy)
    {
        private readonly RowBuffer _weights = ws.Weights;
        private readonly long[] _trust = new long[n];
        private readonly long[] _ranks = new long[n];
        private readonly long[] _preranks = new long[n];
        private readonly StoredEntry[][] _bonds = new StoredEntry[n][];
        private readonly object _combineLock = new();
        private readonly I32F32 _alphaLow = Conversions.U16ProportionToFixed(hp.AlphaLow);
        private readonly I32F32 _alphaHigh = Conversions.U16ProportionToFixed(hp.AlphaHigh);
        private readonly I32F32 _steepness = I32F32.FromInteger(hp.AlphaSigmoidSteepness);

        private int BondRowLength(int i) => i < s.Bonds.Length ? s.Bonds[i].Length : 0;
        private long RowWork(int i) => _weights.Length[i] + BondRowLength(i) + 1;

        /// <summary>Runs <paramref name="row"/> on every row in parallel tasks, each with its scratch; the per-column
        /// partials (the first <paramref name="partials"/>.Length, cleared first) are combined into
        /// <paramref name="partials"/> with <paramref name="combine"/>.</summary>
        private void ForEachRow(Action<int, RowScratch> row, long[][] partials, Func<long, long, long> combine)
        {
            var capacity = 1;
            for (var i = 0; i < n; i++) capacity = Math.Max(capacity, Math.Max(_weights.Length[i], BondRowLength(i)));
            Parallelism.ForRanges(ws.ParallelThreshold, n, RowWork, (from, to) =>
            {
                var scratch = ws.RentScratch(n, capacity);
                try
                {
                    for (var p = 0; p < partials.Length; p++) Array.Clear(scratch.Partial[p]);
                    for (var i = from; i < to; i++) row(i, scratch);
                    lock (_combineLock)
                        for (var p = 0; p < partials.Length; p++)
                            for (var j = 0; j < n; j++) partials[p][j] = combine(partials[p][j], scratch.Partial[p][j]);
                }
                finally { ws.Return(scratch); }
            });
        }

        private static long SaturatingSum(long a, long b) => I32F32.SaturatingAdd(new(a), new(b)).Bits;

        /// <summary>Row i in one walk: Consensus.clip, Consensus.validatorTrust (the row's clipped sum) and
        /// Consensus.ranks (clipped to partial 0 and, before 2025-10, unclipped to partial 1), and
        /// Consensus.weightsForBonds (Sparse.interpolate) into the scratch's cells: W (β = 0), the clipped W (β = 1),
        /// otherwise W + β(W̄ − W) per column (a column's last cell counts) where positive. The cells follow
        /// <paramref name="source"/>'s row order (trust and ranks are sums, so the order does not change them); the
        /// interpolation needs the column-sorted W. With <paramref name="keepDropped"/> false the cells the clip drops
        /// are left out (the liquid-alpha EMA needs that; everywhere else a dropped cell and a zero cell give the same
        /// result). Returns the cell count.</summary>
        private int ClipRankAndWeightsForBonds(int i, RowBuffer source, RowScratch scratch, bool keepDropped)
        {
            var a = activeStake[i];
            long rowSum = 0;
            var count = 0;
            int start = source.Start[i], end = source.End(i);
            var (cols, vals, ranks, preranks) = (scratch.CellCol, scratch.CellVal, scratch.Partial[0], scratch.Partial[1]);
            var (sourceCols, sourceVals, c) = (source.Col, source.Val, consensus);
            for (var k = start; k < end; k++)
            {
                var j = sourceCols[k];
                var w = sourceVals[k];
                var kept = Clip(w, c[j]);
                rowSum = checked(rowSum + kept);
                // a task's rank sums add fewer than 2^31 terms, each at most 2^32 (a proportion of a proportion), so
                // no saturation can apply before the tasks' sums are combined
                ranks[j] += I32F32.MulProportions(a, kept);
                if (legacy) preranks[j] += I32F32.MulProportions(a, w);
                long v;
                if (ratio == 0) v = w;
                else if (ratio == I32F32.OneBits)
                {
                    if (!keepDropped && ClipDrops(w, c[j])) continue;
                    v = kept;
                }
                else
                {
                    if (k + 1 < end && sourceCols[k + 1] == j) continue; // a column's last cell counts
                    v = I32F32.SaturatingAdd(new(w), I32F32.SaturatingMul(new(ratio), I32F32.SaturatingSub(new(kept), new(w)))).Bits;
                    if (v <= 0) continue;
                }
                cols[count] = j;
                vals[count++] = v;
            }
            _trust[i] = rowSum;
            return count;
        }

        /// <summary>Bonds.dropRecentlyRegistered: bonds on a uid load only if it was registered before the last tempo
        /// (a uid past the stored registration blocks counts as registered at block 0).</summary>
        private bool RegisteredBeforeLastTempo(int uid) => lastTempo > (uid < s.BlockAtRegistration.Length ? s.BlockAtRegistration[uid] : 0UL);

        /// <summary><see cref="RegisteredBeforeLastTempo"/> for every uid below n, looked up once per epoch.</summary>
        private bool[] BondColumnsKept()
        {
            var kept = new bool[n];
            for (var j = 0; j < n; j++) kept[j] = RegisteredBeforeLastTempo(j);
            return kept;
        }

        /// <summary>Weights.load of bond (i, e) and Bonds.dropRecentlyRegistered: false when uid e was registered at
        /// or after the last tempo.</summary>
        private bool LoadBond(StoredEntry e, bool asProportion, out long value)
        {
            value = asProportion ? Conversions.U16ProportionToFixed(e.Value).Bits : (long)e.Value << I32F32.FractionBits;
            return RegisteredBeforeLastTempo(e.Uid);
        }

        /// <summary>Adds x to the scratch's dense column j (the first addition of a row sets it).</summary>
        private static void Accumulate(RowScratch scratch, int j, long x) =>
            scratch.Dense[j] = scratch.Touch(j) ? x : SaturatingSum(scratch.Dense[j], x);

        /// <summary>The positive touched columns of the scratch's dense row, in column order, into row i of
        /// <paramref name="target"/>; each value also goes to <paramref name="columnTotals"/> (saturating).</summary>
        private static void EmitPositive(RowScratch scratch, RowBuffer target, int i, long[] columnTotals)
        {
            scratch.SortTouched();
            var at = target.Start[i];
            for (var t = 0; t < scratch.TouchedCount; t++)
            {
                var j = scratch.Touched[t];
                var v = scratch.Dense[j];
                if (v <= 0) continue;
                target.Col[at] = j;
                target.Val[at++] = v;
                columnTotals[j] = SaturatingSum(columnTotals[j], v);
            }
            target.Length[i] = at - target.Start[i];
        }

        /// <summary>Row i of <paramref name="source"/> as stored bonds (u16 proportions), each cell first divided by its
        /// column's entry of <paramref name="columnDivisors"/> when given; none without a new permit.</summary>
        private void Store(int i, RowBuffer source, long[]? columnDivisors)
        {
            if (!newPermits[i]) { _bonds[i] = []; return; }
            // the returned rows live until the next epoch (a tempo, in a node); on the pinned object heap the GC never
            // copies them, where on the ordinary heap every row was copied twice, by the gen 0 and gen 1 collections
            // that its own allocation set off (at n = 4096 dense, about 8.5 of each per epoch, against 0.5)
            var row = GC.AllocateUninitializedArray<StoredEntry>(source.Length[i], pinned: true);
            var (cols, vals) = (source.Col, source.Val);
            for (int k = source.Start[i], r = 0; r < row.Length; k++, r++)
            {
                var j = cols[k];
                var value = columnDivisors is null ? vals[k] : DivideByColumnTotal(vals[k], columnDivisors[j]);
                row[r] = new StoredEntry(j, Conversions.FixedProportionToU16(new(value)));
            }
            _bonds[i] = row;
        }

        /// <summary>Sparse.colNormalize's and colMaxUpscale's per-cell rule: divided by its column's total unless that
        /// is 0.</summary>
        private static long DivideByColumnTotal(long value, long total) => total != 0 ? I32F32.SafeDiv(new(value), new(total)).Bits : value;

        /// <summary>One EMA cell's dividend term: its share of the column total times the column's incentive. The total
        /// sums the column's positive cells (saturating), so it is at least this cell, and the share lies in [0, 1], as
        /// does the (normalised) incentive.</summary>
        internal static long Dividend(long bond, long columnTotal, long incentive) =>
            I32F32.MulProportions(DivideByColumnTotal(bond, columnTotal), incentive);

        private long[] Incentive()
        {
            var incentive = (long[])_ranks.Clone();
            Normalize(incentive);
            return incentive;
        }

        /// <summary>Bonds.yuma3: EMA of the weights for bonds with the stored bonds (as u16 proportions), per cell
        /// with liquid alpha; dividends Σ_j (B_ij / Σ_i B_ij) · incentive_j · active stake_i, normalised. Stores B.</summary>
        public BondsResult Yuma3()
        {
            var ema = ws.Ema;
            // liquid alpha is used only once some column has a consensus (Bonds.ema)
            var liquid = hp.LiquidAlpha && consensus.Any(c => c != 0);
            ema.Reset(n, i => liquid ? _weights.Length[i] : Math.Min(n, _weights.Length[i] + BondRowLength(i)));
            var alpha = Conversions.EmaAlphaOfBondsMovingAverage(hp.BondsMovingAverage);
            var keep = I32F32.SaturatingSub(I32F32.One, alpha);
            var nextSource = liquid && (ratio == 0 || ratio == I32F32.OneBits) ? ws.WeightsInSubmissionOrder : _weights;
            var columnTotals = new long[n];
            var bondColumnsKept = liquid ? [] : BondColumnsKept();
            var fullRows = !liquid && FullRowsApply(alpha, keep, bondColumnsKept);
            ForEachRow((i, scratch) =>
            {
                if (fullRows && TryFullRow(i, scratch, alpha.Bits, keep.Bits)) { Interlocked.Increment(ref ws.FullRowsInLastEpoch); return; }
                var next = ClipRankAndWeightsForBonds(i, nextSource, scratch, keepDropped: !liquid);
                if (liquid) LiquidEmaRow(i, next, scratch);
                else EmaRow(i, next, scratch, alpha, keep, bondColumnsKept);
                Store(i, ema, null);
            }, [_ranks, _preranks, columnTotals], SaturatingSum);

            var incentive = Incentive();
            var dividends = new long[n];
            // without liquid alpha every EMA row is in column order (with liquid alpha, in submission order)
            var reciprocals = ws.FullRowPaths && !liquid ? ColumnReciprocals(columnTotals) : null;
            Parallelism.ForRanges(ws.ParallelThreshold, n, i => ema.Length[i] + 1, (from, to) =>
            {
                var (cols, vals) = (ema.Col, ema.Val);
                for (var i = from; i < to; i++)
                {
                    // each term is at most incentive_j, so no sum of them overflows
                    var perValidator = reciprocals is null ? null : TryFullRowDividend(i, reciprocals, columnTotals, incentive);
                    if (perValidator is null)
                    {
                        long sum = 0;
                        for (int k = ema.Start[i], end = ema.End(i); k < end; k++)
                            sum = checked(sum + Dividend(vals[k], columnTotals[cols[k]], incentive[cols[k]]));
                        perValidator = sum;
                    }
                    dividends[i] = I32F32.TryMul(new(perValidator.Value), new(activeStake[i]), out var d) ? d.Bits : 0;
                }
            });
            Normalize(dividends);
            return new BondsResult(_trust, _ranks, _preranks, incentive, dividends, _bonds);
        }

        /// <summary>Sparse.matEma for row i, the weights for bonds (in column order) in the scratch's cells: per column
        /// α·W + (1 − α)·B, the terms added in the spec's order (a column's weight cells, then its bonds; saturating),
        /// merged in one walk; the positive sums go to row i of the EMA and to the column totals (partial 2).</summary>
        private void EmaRow(int i, int next, RowScratch scratch, I32F32 alpha, I32F32 keep, bool[] bondColumnsKept)
        {
            var old = LoadedBondsInColumnOrder(i, scratch, keep, bondColumnsKept, out var oldCols, out var oldVals);
            var (cols, vals, totals) = (scratch.CellCol, scratch.CellVal, scratch.Partial[2]);
            var ema = ws.Ema;
            var (emaCols, emaVals) = (ema.Col, ema.Val);
            var proportional = I32F32.IsProportion(alpha.Bits); // unless the bonds moving average exceeds 10^6
            var at = ema.Start[i];
            int w = 0, b = 0;
            while (w < next || b < old)
            {
                var j = w < next && (b == old || cols[w] <= oldCols[b]) ? cols[w] : oldCols[b];
                long sum = 0; // 0 + x is x exactly: the first term sets the sum
                for (; w < next && cols[w] == j; w++)
                    sum = SaturatingSum(sum, proportional ? I32F32.MulProportions(alpha.Bits, vals[w]) : I32F32.SaturatingMul(alpha, new(vals[w])).Bits);
                for (; b < old && oldCols[b] == j; b++) sum = SaturatingSum(sum, oldVals[b]);
                if (sum <= 0) continue;
                emaCols[at] = j;
                emaVals[at++] = sum;
                totals[j] = SaturatingSum(totals[j], sum);
            }
            ema.Length[i] = at - ema.Start[i];
        }

        /// <summary>Row i's stored bonds that load (uids below n, Weights.load as u16 proportions,
        /// Bonds.dropRecentlyRegistered), each times <paramref name="factor"/>, in column order, a column's cells in stored
        /// order. The epoch stores rows in column order, so a row is normally sorted already; others are sorted here.</summary>
        private int LoadedBondsInColumnOrder(int i, RowScratch scratch, I32F32 factor, bool[] bondColumnsKept, out int[] cols, out long[] vals)
        {
            var count = 0;
            var sorted = true;
            var previous = 0;
            (cols, vals) = (scratch.OtherCol, scratch.OtherVal);
            var proportional = I32F32.IsProportion(factor.Bits); // 1 − α, unless α is negative
            if (i < s.Bonds.Length)
                foreach (var e in s.Bonds[i])
                {
                    var j = e.Uid;
                    if ((uint)j >= (uint)n || !bondColumnsKept[j]) continue;
                    sorted &= j >= previous;
                    previous = j;
                    var b = Conversions.U16ProportionToFixed(e.Value).Bits;
                    cols[count] = j;
                    vals[count++] = proportional ? I32F32.MulProportions(factor.Bits, b) : I32F32.SaturatingMul(factor, new(b)).Bits;
                }
            if (sorted) return count;
            scratch.StableSortByColumn(scratch.OtherCol, scratch.OtherVal, count, scratch.SortedCol, scratch.SortedVal, 0);
            (cols, vals) = (scratch.SortedCol, scratch.SortedVal);
            return count;
        }

        /// <summary>Bonds.liquidAlphas + Sparse.matEmaAlpha for row i, the weights for bonds in the scratch's cells:
        /// α is computed only where used (the columns of the row's new and old cells), each w and b looked up through
        /// the chain's forward-only cursors, which assume sorted rows (the weights for bonds keep W's stored order).
        /// Only cells of the new row survive, in its order.</summary>
        private void LiquidEmaRow(int i, int next, RowScratch scratch)
        {
            var old = 0;
            if (i < s.Bonds.Length)
                foreach (var e in s.Bonds[i])
                    if (LoadBond(e, asProportion: true, out var b)) { scratch.OtherCol[old] = e.Uid; scratch.OtherVal[old++] = b; }
            scratch.BeginRow();
            for (var k = 0; k < next; k++) scratch.Touch(scratch.CellCol[k]);
            for (var k = 0; k < old; k++) if (scratch.OtherCol[k] < n) scratch.Touch(scratch.OtherCol[k]);
            scratch.SortTouched();
            var alpha = scratch.Dense;
            var decayed = scratch.Dense2;
            int wPos = 0, bPos = 0;
            for (var t = 0; t < scratch.TouchedCount; t++)
            {
                var j = scratch.Touched[t];
                while (wPos < next && scratch.CellCol[wPos] < j) wPos++;
                while (bPos < old && scratch.OtherCol[bPos] < j) bPos++;
                var w = wPos < next && scratch.CellCol[wPos] == j ? scratch.CellVal[wPos] : 0;
                var b = bPos < old && scratch.OtherCol[bPos] == j ? scratch.OtherVal[bPos] : 0;
                alpha[j] = Transcendental.AlphaSigmoid(new(consensus[j]), new(w), new(b), _alphaLow, _alphaHigh, _steepness).Bits;
                decayed[j] = 0;
            }
            for (var k = 0; k < old; k++)
            {
                var j = scratch.OtherCol[k];
                if (j < n) decayed[j] = I32F32.SaturatingMul(I32F32.SaturatingSub(I32F32.One, new(alpha[j])), new(scratch.OtherVal[k])).Bits;
            }
            var ema = ws.Ema;
            var at = ema.Start[i];
            for (var k = 0; k < next; k++)
            {
                var j = scratch.CellCol[k];
                var increment = Math.Max(I32F32.SaturatingMul(new(alpha[j]), new(scratch.CellVal[k])).Bits, 0);
                var v = Math.Min(I32F32.SaturatingAdd(new(decayed[j]), new(increment)).Bits, I32F32.OneBits);
                if (v <= 0) continue;
                ema.Col[at] = j;
                ema.Val[at++] = v;
                scratch.Partial[2][j] = SaturatingSum(scratch.Partial[2][j], v);
            }
            ema.Length[i] = at - ema.Start[i];
        }

        /// <summary>Bonds.original: bonds B (as u16 integers) column-normalised; ΔB = the weights for bonds scaled by
        /// active stake, column-normalised; EMA of ΔB with B, column-normalised; dividends Σ_j B_ij · incentive_j,
        /// normalised; stored B column-max-upscaled.</summary>
        public BondsResult Original()
        {
            var scaled = ws.Scaled;
            scaled.Reset(n, i => _weights.Length[i]);
            var scaledTotals = new long[n];
            var bondTotals = new long[n];
            ForEachRow((i, scratch) =>
            {
                var next = ClipRankAndWeightsForBonds(i, _weights, scratch, keepDropped: true);
                var a = new I32F32(activeStake[i]);
                var at = scaled.Start[i];
                for (var k = 0; k < next; k++)
                {
                    var j = scratch.CellCol[k];
                    var v = I32F32.SaturatingMul(new(scratch.CellVal[k]), a).Bits;
                    scaled.Col[at] = j;
                    scaled.Val[at++] = v;
                    scratch.Partial[2][j] = SaturatingSum(scratch.Partial[2][j], v);
                }
                scaled.Length[i] = at - scaled.Start[i];
                if (i < s.Bonds.Length)
                    foreach (var e in s.Bonds[i])
                        if (e.Uid < n && LoadBond(e, asProportion: false, out var b))
                            scratch.Partial[3][e.Uid] = SaturatingSum(scratch.Partial[3][e.Uid], b);
            }, [_ranks, _preranks, scaledTotals, bondTotals], SaturatingSum);

            var ema = ws.Ema;
            ema.Reset(n, i => Math.Min(n, scaled.Length[i] + BondRowLength(i)));
            var alpha = Conversions.EmaAlphaOfBondsMovingAverage(hp.BondsMovingAverage);
            var keep = I32F32.SaturatingSub(I32F32.One, alpha);
            var emaTotals = new long[n];
            ForEachRow((i, scratch) =>
            {
                scratch.BeginRow();
                for (int k = scaled.Start[i], end = scaled.End(i); k < end; k++)
                {
                    var j = scaled.Col[k];
                    Accumulate(scratch, j, I32F32.SaturatingMul(alpha, new(DivideByColumnTotal(scaled.Val[k], scaledTotals[j]))).Bits);
                }
                if (i < s.Bonds.Length)
                    foreach (var e in s.Bonds[i])
                        if (e.Uid < n && LoadBond(e, asProportion: false, out var b))
                            Accumulate(scratch, e.Uid, I32F32.SaturatingMul(keep, new(DivideByColumnTotal(b, bondTotals[e.Uid]))).Bits);
                EmitPositive(scratch, ema, i, scratch.Partial[0]);
            }, [emaTotals], SaturatingSum);

            var incentive = Incentive();
            var dividends = new long[n];
            var columnMaxima = new long[n];
            ForEachRow((i, scratch) =>
            {
                long sum = 0;
                for (int k = ema.Start[i], end = ema.End(i); k < end; k++)
                {
                    var j = ema.Col[k];
                    var normalized = DivideByColumnTotal(ema.Val[k], emaTotals[j]);
                    ema.Val[k] = normalized;
                    sum = SaturatingSum(sum, I32F32.SaturatingMul(new(incentive[j]), new(normalized)).Bits);
                    if (scratch.Partial[0][j] < normalized) scratch.Partial[0][j] = normalized;
                }
                dividends[i] = sum;
            }, [columnMaxima], (a, b) => Math.Max(a, b));
            Normalize(dividends);

            Parallelism.ForRanges(ws.ParallelThreshold, n, i => ema.Length[i] + 1, (from, to) =>
            {
                for (var i = from; i < to; i++) Store(i, ema, columnMaxima);
            });
            return new BondsResult(_trust, _ranks, _preranks, incentive, dividends, _bonds);
        }
    }
}
