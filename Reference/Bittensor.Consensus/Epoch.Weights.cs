using System.Runtime.Intrinsics;

namespace Bittensor.Consensus;

public static partial class Epoch
{
    /// <summary>
    /// Pass 1, Weights.masked: rows of uids without a stored permit emptied; the diagonal dropped (except the owner's);
    /// entries (i, j) dropped when i last updated at or before j's registration and, with commit-reveal, when i's commit
    /// is older than j's registration; entries at or past n dropped; then each row normalised. The weights are integers
    /// (u16 · 2^32), so the normalising division (w·2^32)·2^32 / (S·2^32) is computed exactly as (w·2^32) / S in 64
    /// bits. Each row is stored sorted by column, duplicates in submission order: a row that keeps every column once
    /// (perhaps without its diagonal) is placed through a dense row and marked <see cref="RowBuffer.Full"/>, any other
    /// is sorted (<see cref="RowScratch.StableSortByColumn"/>); with
    /// <paramref name="keepSubmissionOrder"/> (liquid alpha reads W in stored order) also as submitted.
    /// </summary>
    private static void MaskedWeights(EpochWorkspace ws, Hyperparameters hp, EpochState s, int? owner, bool[] permits, bool keepSubmissionOrder)
    {
        var n = s.N;
        bool HasRow(int i) => i < permits.Length && permits[i] && i < s.Weights.Length;
        // whether row i keeps cell e: below n, not on the diagonal (but the owner's), i updated after e's uid registered
        // and, with commit-reveal, committed no earlier than it registered
        bool Keeps(StoredEntry e, int i, ulong updated, ulong commitBlock)
        {
            if (e.Uid >= n) return false;
            if (e.Uid == i && owner != i) return false;
            var registered = e.Uid < s.BlockAtRegistration.Length ? s.BlockAtRegistration[e.Uid] : 0UL;
            if (updated <= registered) return false;
            return !hp.CommitReveal || commitBlock >= registered;
        }
        var weights = ws.Weights;
        weights.Reset(n, i => HasRow(i) ? s.Weights[i].Length : 0);
        var submitted = ws.WeightsInSubmissionOrder;
        if (keepSubmissionOrder) submitted.Reset(n, i => HasRow(i) ? s.Weights[i].Length : 0);
        var fullRows = ws.FullRowPaths && !keepSubmissionOrder;
        var longestRow = 0;
        for (var i = 0; i < n; i++) longestRow = Math.Max(longestRow, weights.Start[i + 1] - weights.Start[i]);

        Parallelism.ForRanges(ws.ParallelThreshold, n, i => weights.Start[i + 1] - weights.Start[i] + 1, (from, to) =>
        {
            var scratch = ws.RentScratch(n, longestRow);

            // Row i when the masking keeps every column once, or every column but i: its cells go straight to their
            // places in column order, through the scratch's dense row (no sort). False, with nothing written, for any
            // other row (a duplicate, a column masked or missing besides i).
            bool TryFullWeightRow(int i, ulong updated, ulong commitBlock)
            {
                var value = scratch.Dense;
                scratch.BeginRow();
                long sum = 0;
                var count = 0;
                foreach (var e in s.Weights[i])
                {
                    if (!Keeps(e, i, updated, commitBlock)) continue;
                    if (!scratch.Mark(e.Uid)) return false; // a duplicate: the general path keeps both cells
                    value[e.Uid] = e.Value;
                    sum += e.Value;
                    count++;
                }
                var diagonalKept = scratch.IsMarked(i);
                if (count != (diagonalKept ? n : n - 1)) return false;
                CheckRowSum(i, sum);
                var at = weights.Start[i];
                if (diagonalKept) NormalizedRun(value.AsSpan(0, n), sum, 0, weights.Col.AsSpan(at, n), weights.Val.AsSpan(at, n));
                else
                {
                    NormalizedRun(value.AsSpan(0, i), sum, 0, weights.Col.AsSpan(at, i), weights.Val.AsSpan(at, i));
                    NormalizedRun(value.AsSpan(i + 1, n - i - 1), sum, i + 1, weights.Col.AsSpan(at + i, n - i - 1), weights.Val.AsSpan(at + i, n - i - 1));
                }
                weights.Length[i] = count;
                weights.Full[i] = true;
                return true;
            }

            try
            {
                for (var i = from; i < to; i++)
                {
                    if (!HasRow(i)) continue;
                    var updated = i < s.LastUpdate.Length ? s.LastUpdate[i] : 0UL;
                    var commitBlock = i < s.CommitBlocks.Length ? s.CommitBlocks[i] : 0UL;
                    if (fullRows && s.Weights[i].Length >= n - 1 && TryFullWeightRow(i, updated, commitBlock)) continue;
                    long sum = 0; // Σ w, in whole units
                    var count = 0;
                    foreach (var e in s.Weights[i])
                    {
                        if (!Keeps(e, i, updated, commitBlock)) continue;
                        scratch.CellCol[count] = e.Uid;
                        scratch.CellVal[count] = e.Value;
                        sum += e.Value;
                        count++;
                    }
                    CheckRowSum(i, sum);
                    for (var k = 0; k < count; k++) scratch.CellVal[k] = Normalized(scratch.CellVal[k], sum);
                    scratch.StableSortByColumn(scratch.CellCol, scratch.CellVal, count, weights.Col, weights.Val, weights.Start[i]);
                    weights.Length[i] = count;
                    if (keepSubmissionOrder)
                    {
                        Array.Copy(scratch.CellCol, 0, submitted.Col, submitted.Start[i], count);
                        Array.Copy(scratch.CellVal, 0, submitted.Val, submitted.Start[i], count);
                        submitted.Length[i] = count;
                    }
                }
            }
            finally { ws.Return(scratch); }
        });
    }

    /// <summary>The spec sums a row in I32F32, which overflows (the chain panics) from 2^31 whole units.</summary>
    private static void CheckRowSum(int i, long sum)
    {
        if (sum > int.MaxValue) throw new OverflowException($"the weights of uid {i} sum to {sum}, past the I32F32 range");
    }

    /// <summary>A u16 weight w divided by its row's sum S (whole units): (w·2^32)/S truncated, or w·2^32 when S = 0.</summary>
    internal static long Normalized(long w, long sum) => sum > 0 ? (w << I32F32.FractionBits) / sum : w << I32F32.FractionBits;

    /// <summary>A run of a row's u16 weights <paramref name="w"/>, of consecutive columns from
    /// <paramref name="firstColumn"/> on, <see cref="Normalized"/> into <paramref name="val"/> with their columns in
    /// <paramref name="col"/>; eight at a time without a division where 512-bit vectors are at hand. There, with
    /// r = ⌊2^48/S⌋ &gt; 2^48/S − 1 and w &lt; 2^16, w·r/2^16 lies in (w·2^32/S − 1, w·2^32/S], so q = (w·r) &gt;&gt; 16
    /// is the quotient or one less, and one comparison of the remainder w·2^32 − q·S with S settles which (w·r &lt; 2^64:
    /// every step is exact in 64 bits).</summary>
    internal static void NormalizedRun(ReadOnlySpan<long> w, long sum, int firstColumn, Span<int> col, Span<long> val)
    {
        var k = 0;
        if (Vector512.IsHardwareAccelerated && sum > 0)
        {
            var s8 = Vector512.Create(sum);
            var r8 = Vector512.Create((1L << 48) / sum);
            var column16 = Vector512<int>.Indices + Vector512.Create(firstColumn);
            for (; k + 16 <= w.Length; k += 16, column16 += Vector512.Create(16))
            {
                column16.CopyTo(col[k..]);
                for (var half = k; half < k + 16; half += 8)
                {
                    var w8 = Vector512.Create(w.Slice(half, 8));
                    var q8 = (w8 * r8) >>> 16;
                    var remainder8 = (w8 << I32F32.FractionBits) - q8 * s8;
                    (q8 - Vector512.GreaterThanOrEqual(remainder8, s8)).CopyTo(val[half..]); // true is −1
                }
            }
        }
        for (; k < w.Length; k++)
        {
            col[k] = firstColumn + k;
            val[k] = Normalized(w[k], sum);
        }
    }
}
