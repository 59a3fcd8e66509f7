using System.Numerics;

namespace Bittensor.Consensus;

public static partial class Epoch
{
    /// <summary>A column's positive votes are bucketed into 1024 ranges of equal width (a power of two) over
    /// [smallest, largest] before the exact select.</summary>
    private const int BucketBits = 10;
    private const int Buckets = 1 << BucketBits;

    /// <summary>
    /// Pass 2, Consensus (Sparse.weightedMedianCol): for each column, the smallest vote s whose cumulative normalised
    /// stake W(≤ s) exceeds minority = σ − κ; the largest vote when none does; 0 without voters. Voters are the uids with
    /// positive active stake; a voter without a cell in a column votes 0; a row's later duplicate overwrites.
    /// Columns are processed in blocks: the voters' cells of a block are gathered through per-row cursors (the rows are
    /// sorted by column), and each column's vote is found from a histogram of its votes' top bits, then an exact
    /// quick-select within the one bucket that holds it. Linear in the weights; parallel over column ranges. When every
    /// voter's row is full, <see cref="ConsensusOfFullRows"/> instead.
    /// </summary>
    private static long[] ConsensusOf(EpochWorkspace ws, long[] activeStake, int n, long kappa)
    {
        var weights = ws.Weights;
        var consensus = new long[n];
        var voterRows = new List<int>();
        long positiveSum = 0;
        for (var i = 0; i < activeStake.Length; i++)
            if (activeStake[i] > 0) { voterRows.Add(i); positiveSum = checked(positiveSum + activeStake[i]); }
        var voters = voterRows.Count;
        if (voters == 0) return consensus;
        // normalise the positive stakes exactly as the spec does (plain sum, truncating division)
        var stakeOf = new long[voters];
        long sigma = 0;
        for (var v = 0; v < voters; v++)
        {
            stakeOf[v] = I32F32.SafeDiv(new(activeStake[voterRows[v]]), new(positiveSum)).Bits;
            sigma += stakeOf[v];
        }
        var minority = I32F32.SaturatingSub(new(sigma), new(kappa)).Bits;
        if (ws.FullRowPaths && minority >= 0 && minority < sigma && voterRows.TrueForAll(i => weights.Full[i]))
        {
            ConsensusOfFullRows(ws, n, voterRows, stakeOf, minority, consensus);
            ws.FullRowConsensusInLastEpoch = true;
            return consensus;
        }

        // each voter's row: [start, end) of the column-sorted W
        var rowEnd = new int[voters];
        var rowStart = new int[voters];
        long cells = 0;
        for (var v = 0; v < voters; v++)
        {
            rowStart[v] = weights.Start[voterRows[v]];
            rowEnd[v] = weights.End(voterRows[v]);
            cells += rowEnd[v] - rowStart[v];
        }
        // a block of columns with about 2^20 gathered votes (8 MiB per task): wide enough that each voter's cells in a
        // block are one long run of memory (the gather's cost is dominated by starting runs: at 2^16 votes a block,
        // n = 4096 dense took 1.5× as long), small enough that two tasks' blocks stay within a 32 MiB cache (2^21 was
        // no faster)
        var block = (int)Math.Clamp((1 << 20) / voters, 1, 256);
        Parallelism.ForRanges(ws.ParallelThreshold, n, _ => cells / Math.Max(n, 1) + 1, (from, to) =>
        {
            var selector = ws.RentColumnScratch(voters, block);
            var cursor = selector.Cursor;
            for (var v = 0; v < voters; v++) cursor[v] = LowerBound(weights.Col, rowStart[v], rowEnd[v], from);
            for (var first = from; first < to; first += block)
            {
                var last = Math.Min(first + block, to);
                GatherBlock(weights.Col, weights.Val, rowEnd, cursor, voters, first, last, selector.Votes, selector.Counts);
                for (var j = first; j < last; j++)
                    consensus[j] = selector.Select((j - first) * voters, selector.Counts[j - first], stakeOf, sigma, minority);
            }
            ws.Return(selector);
        });
        return consensus;
    }

    /// <summary>A gathered vote: the score (a row-normalised weight in [0, 2^32]: 33 bits) above the voter's index
    /// (an int, below 2^31), so that one 8-byte store moves a vote.</summary>
    private const int VoterBits = 31;
    private const long VoterMask = (1L << VoterBits) - 1;

    private static long ScoreOf(ulong vote) => (long)(vote >> VoterBits);
    private static int VoterOf(ulong vote) => (int)(vote & VoterMask);

    /// <summary>Every voter's cells in columns [first, last) (from its cursor on, advancing it), column c − first's
    /// votes to <paramref name="votes"/> at (c − first)·voters + its count. A row's later duplicate of a column
    /// supersedes the earlier one.</summary>
    private static void GatherBlock(int[] col, long[] val, int[] rowEnd, int[] cursor, int voters, int first, int last,
        ulong[] votes, int[] counts)
    {
        Array.Clear(counts, 0, last - first);
        for (var v = 0; v < voters; v++)
        {
            int k = cursor[v], end = rowEnd[v];
            for (; k < end; k++)
            {
                var j = col[k];
                if (j >= last) break;
                if (k + 1 < end && col[k + 1] == j) continue;
                var c = j - first;
                votes[c * voters + counts[c]++] = ((ulong)val[k] << VoterBits) | (uint)v;
            }
            cursor[v] = k;
        }
    }

    /// <summary>The first position in the sorted <c>col[from..to)</c> holding a column ≥ <paramref name="column"/>.</summary>
    private static int LowerBound(int[] col, int from, int to, int column)
    {
        while (from < to)
        {
            var middle = from + (to - from) / 2;
            if (col[middle] < column) from = middle + 1;
            else to = middle;
        }
        return from;
    }

    /// <summary>One task's buffers for the consensus: the voters' row cursors, a block of columns' gathered votes
    /// (column c of the block at [c·voters, c·voters + Counts[c]), see <see cref="VoterBits"/>), a histogram and the
    /// votes of one bucket.</summary>
    internal sealed class ColumnScratch
    {
        private int _voters;
        public int[] Cursor = [];
        public ulong[] Votes = [];
        public int[] Counts = [];
        private readonly long[] _bucketStake = new long[Buckets];
        private readonly int[] _bucketCount = new int[Buckets];
        private long[] _memberScores = [];
        private long[] _memberStakes = [];

        public void Ensure(int voters, int block)
        {
            _voters = voters;
            if (Cursor.Length < voters)
            {
                Cursor = new int[voters];
                _memberScores = new long[voters];
                _memberStakes = new long[voters];
            }
            if (Votes.Length < block * voters) Votes = new ulong[block * voters];
            if (Counts.Length < block) Counts = new int[block];
        }

        /// <summary>The positive votes in [low, high) of the column at [start, start + count), copied to the member
        /// buffers with their voters' stakes; returns their count.</summary>
        private int Positive(int start, int count, long[] stakeOf, long low, long high)
        {
            var members = 0;
            for (var k = start; k < start + count; k++)
            {
                var score = ScoreOf(Votes[k]);
                if (score <= 0 || score < low || score >= high) continue;
                _memberScores[members] = score;
                _memberStakes[members] = stakeOf[VoterOf(Votes[k])];
                members++;
            }
            return members;
        }

        private long WeightedQuantile(int members, long below, long minority) =>
            Epoch.WeightedQuantile(_memberScores, _memberStakes, 0, members, below, minority);

        /// <summary>The vote of a column whose present voters' votes are at <c>[start, start + count)</c>; the other
        /// voters (stake σ − Σ present) vote 0.</summary>
        public long Select(int start, int count, long[] stakeOf, long sigma, long minority)
        {
            var (votes, voters) = (Votes, _voters);
            long positiveStake = 0, largest = 0, smallest = long.MaxValue;
            var positiveCells = 0;
            for (var k = start; k < start + count; k++)
            {
                var score = ScoreOf(votes[k]);
                if (score == 0) continue;
                positiveStake += stakeOf[VoterOf(votes[k])];
                positiveCells++;
                if (score > largest) largest = score;
                if (score < smallest) smallest = score;
            }
            var hasZeroVote = count < voters || positiveCells < count;
            var below = sigma - positiveStake; // W(≤ 0): voters without a cell and explicit zero cells
            if (hasZeroVote && below > minority) return 0;
            if (!hasZeroVote) below = 0;
            if (positiveCells <= Buckets / 4) return WeightedQuantile(Positive(start, count, stakeOf, 0, long.MaxValue), below, minority);
            // bucket b holds the votes in [smallest + b·2^shift, smallest + (b + 1)·2^shift)
            var shift = Math.Max(0, 64 - BitOperations.LeadingZeroCount((ulong)(largest - smallest)) - BucketBits);
            for (var k = start; k < start + count; k++)
            {
                var score = ScoreOf(votes[k]);
                if (score == 0) continue;
                var bucket = (int)((score - smallest) >> shift);
                _bucketStake[bucket] += stakeOf[VoterOf(votes[k])];
                _bucketCount[bucket]++;
            }
            try
            {
                // the first bucket holding votes at which the cumulative stake exceeds the minority
                var found = -1;
                for (var b = 0; b < Buckets; b++)
                {
                    if (_bucketCount[b] == 0) continue;
                    if (below + _bucketStake[b] > minority) { found = b; break; }
                    below += _bucketStake[b];
                }
                if (found < 0) return largest;
                return WeightedQuantile(Positive(start, count, stakeOf, smallest + ((long)found << shift), smallest + ((long)(found + 1) << shift)), below, minority);
            }
            finally
            {
                Array.Clear(_bucketStake);
                Array.Clear(_bucketCount);
            }
        }
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

    /// <summary>Consensus.clip for one cell: min(w, c), the weight cut to the consensus. The spec drops the cell where
    /// c ≤ 0 and w &gt; c; as c ≥ 0, that is c = 0, where the cut value is 0 too, so every sum and every EMA gets the
    /// same result either way; only the liquid-alpha EMA tells a dropped cell from a zero one (see
    /// <see cref="ClipDrops"/>). Branch-free: the comparison is a coin toss on real data, and a mispredicted branch per
    /// weight costs more than the rest of the pass. Both operands lie in [0, 2^32], so c − w cannot overflow.</summary>
    private static long Clip(long w, long c)
    {
        var difference = c - w;
        return w + (difference & (difference >> 63));
    }

    /// <summary>Whether the spec's clip drops the cell (w above a consensus of 0) rather than keeping it.</summary>
    private static bool ClipDrops(long w, long c) => c < w && c <= 0;
}
