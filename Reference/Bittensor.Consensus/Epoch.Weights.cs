namespace Bittensor.Consensus;

public static partial class Epoch
{
    /// <summary>
    /// Pass 1, Weights.masked: rows of uids without a stored permit emptied; the diagonal dropped (except the owner's);
    /// entries (i, j) dropped when i last updated at or before j's registration and, with commit-reveal, when i's commit
    /// is older than j's registration; entries at or past n dropped; then each row normalised. The weights are integers
    /// (u16 · 2^32), so the normalising division (w·2^32)·2^32 / (S·2^32) is computed exactly as (w·2^32) / S in 64
    /// bits. Each row is stored sorted by column, duplicates in submission order; with
    /// <paramref name="keepSubmissionOrder"/> (liquid alpha reads W in stored order) also as submitted.
    /// </summary>
    private static void MaskedWeights(EpochWorkspace ws, Hyperparameters hp, EpochState s, int? owner, bool[] permits, bool keepSubmissionOrder)
    {
        var n = s.N;
        bool HasRow(int i) => i < permits.Length && permits[i] && i < s.Weights.Length;
        var weights = ws.Weights;
        weights.Reset(n, i => HasRow(i) ? s.Weights[i].Length : 0);
        var submitted = ws.WeightsInSubmissionOrder;
        if (keepSubmissionOrder) submitted.Reset(n, i => HasRow(i) ? s.Weights[i].Length : 0);
        var longestRow = 0;
        for (var i = 0; i < n; i++) longestRow = Math.Max(longestRow, weights.Start[i + 1] - weights.Start[i]);

        Parallelism.ForRanges(ws.ParallelThreshold, n, i => weights.Start[i + 1] - weights.Start[i] + 1, (from, to) =>
        {
            var scratch = ws.RentScratch(n, longestRow);
            try
            {
                for (var i = from; i < to; i++)
                {
                    if (!HasRow(i)) continue;
                    var updated = i < s.LastUpdate.Length ? s.LastUpdate[i] : 0UL;
                    var commitBlock = i < s.CommitBlocks.Length ? s.CommitBlocks[i] : 0UL;
                    long sum = 0; // Σ w, in whole units
                    var count = 0;
                    foreach (var e in s.Weights[i])
                    {
                        if (e.Uid >= n) continue;
                        if (e.Uid == i && owner != i) continue;
                        var registered = e.Uid < s.BlockAtRegistration.Length ? s.BlockAtRegistration[e.Uid] : 0UL;
                        if (updated <= registered) continue;
                        if (hp.CommitReveal && commitBlock < registered) continue;
                        scratch.CellCol[count] = e.Uid;
                        scratch.CellVal[count] = e.Value;
                        sum += e.Value;
                        count++;
                    }
                    // the spec sums the row in I32F32, which overflows (the chain panics) from 2^31 whole units
                    if (sum > int.MaxValue) throw new OverflowException($"the weights of uid {i} sum to {sum}, past the I32F32 range");
                    for (var k = 0; k < count; k++)
                        scratch.CellVal[k] = sum > 0 ? (scratch.CellVal[k] << I32F32.FractionBits) / sum : scratch.CellVal[k] << I32F32.FractionBits;
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
}
