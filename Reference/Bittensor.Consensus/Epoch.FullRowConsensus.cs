using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bittensor.Consensus;

public static partial class Epoch
{
    /// <summary>Each octave of scores [2^e, 2^(e+1)) above 127 is split into 2^6 histogram buckets.</summary>
    private const int SubBucketBits = 6;

    /// <summary>How many histogram buckets a column has: <see cref="HistogramBucket"/>(2^32) = 1728 is the last one
    /// used, rounded up to whole 64-byte lines.</summary>
    internal const int HistogramBuckets = (((33 - SubBucketBits) << SubBucketBits) + 8) & ~7;

    /// <summary>A vote's histogram bucket: each score below 128 has its own (an exact bucket); above, each octave
    /// [2^e, 2^(e+1)) is split into 64 buckets of width 2^(e − 6). Monotone in the score; for a score in [0, 2^32] (a
    /// row-normalised weight) at most 1728.</summary>
    internal static int HistogramBucket(long score)
    {
        var shift = Math.Max(0, 63 - SubBucketBits - BitOperations.LeadingZeroCount((ulong)score));
        return (shift << SubBucketBits) + (int)(score >> shift);
    }

    /// <summary>The width of bucket b's scores, as a power of two: 0 for the exact buckets below 128.</summary>
    internal static int HistogramBucketShift(int bucket) => Math.Max(0, (bucket >> SubBucketBits) - 1);

    /// <summary>The smallest score in bucket b.</summary>
    internal static long HistogramBucketLow(int bucket)
    {
        var shift = HistogramBucketShift(bucket);
        return (long)(bucket - (shift << SubBucketBits)) << shift;
    }

    /// <summary>Columns per block of the full-row consensus: 32 histograms (14 KB each) stay in a core's second-level
    /// cache, and each row's cells in a block are four cache lines in a row (16 columns took 1.5 times as long).</summary>
    private const int FullRowBlock = 32;

    /// <summary>
    /// Pass 2 when every voter's row is full (<see cref="RowBuffer.Full"/>: every column once, in order, perhaps
    /// without its own) and 0 ≤ minority &lt; σ. Then every voter votes in every column (a missing diagonal votes 0),
    /// each column's stakes sum to σ &gt; minority, and its vote is the smallest s with W(≤ s) &gt; minority: the
    /// "largest vote" fallback and the zero-vote special case of <see cref="ColumnScratch.Select"/> cannot arise.
    /// Per block of columns, without gathering the votes into columns: a walk over the voters' rows adds each voter's
    /// stake to its vote's <see cref="HistogramBucket"/>; each column's histogram, summed upwards, gives the bucket where
    /// the cumulative stake first exceeds the minority and the stake below it; a second walk collects that bucket's
    /// votes, and <see cref="WeightedQuantile"/> among them gives the exact vote (an exact bucket holds just one
    /// score, the vote itself). Linear in the weights; parallel over column ranges.
    /// </summary>
    private static void ConsensusOfFullRows(EpochWorkspace ws, int n, List<int> voterRows, long[] stakeOf, long minority, long[] consensus)
    {
        var voters = voterRows.Count;
        Parallelism.ForRanges(ws.ParallelThreshold, n, _ => voters, (from, to) =>
        {
            var scratch = ws.RentHistogramScratch(voters);
            try
            {
                for (var first = from; first < to; first += FullRowBlock)
                    scratch.Block(ws.Weights, n, voterRows, stakeOf, minority, first, Math.Min(first + FullRowBlock, to), consensus);
            }
            finally { ws.Return(scratch); }
        });
    }

    /// <summary>One task's buffers for <see cref="ConsensusOfFullRows"/>: a block's histograms (all zero between
    /// blocks), each block column's chosen bucket (lowest score, width, stake below it) and the votes in it.</summary>
    internal sealed class HistogramScratch
    {
        private int _voters;
        private readonly long[] _histograms = new long[FullRowBlock * HistogramBuckets];
        private readonly long[] _bucketLow = new long[FullRowBlock];
        private readonly long[] _bucketWidth = new long[FullRowBlock];
        private readonly long[] _stakeBelow = new long[FullRowBlock];
        private readonly int[] _memberCount = new int[FullRowBlock];
        private long[] _memberScores = [];
        private long[] _memberStakes = [];

        public void Ensure(int voters)
        {
            _voters = voters;
            if (_memberScores.Length >= FullRowBlock * voters) return;
            _memberScores = new long[FullRowBlock * voters];
            _memberStakes = new long[FullRowBlock * voters];
        }

        /// <summary>The votes of columns [first, last).</summary>
        public void Block(RowBuffer weights, int n, List<int> voterRows, long[] stakeOf, long minority, int first, int last, long[] consensus)
        {
            var columns = last - first;
            var histograms = _histograms.AsSpan(0, columns * HistogramBuckets);
            var val = weights.Val;
            for (var v = 0; v < _voters; v++)
            {
                var (at, gap) = BlockLayout(weights, n, voterRows[v], first, last);
                if (gap < 0) { AddToHistograms(histograms, 0, val.AsSpan(at, columns), stakeOf[v]); continue; }
                AddToHistograms(histograms, 0, val.AsSpan(at, gap), stakeOf[v]);
                histograms[gap * HistogramBuckets] += stakeOf[v]; // the missing diagonal votes 0
                AddToHistograms(histograms, gap + 1, val.AsSpan(at + gap, columns - gap - 1), stakeOf[v]);
            }
            for (var c = 0; c < columns; c++)
            {
                var histogram = histograms.Slice(c * HistogramBuckets, HistogramBuckets);
                long below = 0;
                var b = 0;
                while (below + histogram[b] <= minority) below += histogram[b++];
                histogram.Clear();
                _stakeBelow[c] = below;
                _bucketLow[c] = HistogramBucketLow(b);
                _bucketWidth[c] = 1L << HistogramBucketShift(b);
                _memberCount[c] = 0;
            }
            // the voters in reverse: the rows the first walk read last are still in the nearer caches (the order of a
            // bucket's votes does not matter to the select)
            for (var v = _voters - 1; v >= 0; v--)
            {
                var (at, gap) = BlockLayout(weights, n, voterRows[v], first, last);
                if (gap < 0) { CollectMembers(0, val.AsSpan(at, columns), stakeOf[v]); continue; }
                CollectMembers(0, val.AsSpan(at, gap), stakeOf[v]);
                CollectMembers(gap + 1, val.AsSpan(at + gap, columns - gap - 1), stakeOf[v]);
            }
            for (var c = 0; c < columns; c++)
                consensus[first + c] = _bucketWidth[c] == 1
                    ? _bucketLow[c]
                    : WeightedQuantile(_memberScores, _memberStakes, c * _voters, c * _voters + _memberCount[c], _stakeBelow[c], minority);
        }

        /// <summary>Where full row i's cells in columns [first, last) lie in <see cref="RowBuffer.Val"/>: from
        /// <c>At</c> on, in column order, with no gap (<c>Gap</c> = −1) unless the row lacks its diagonal (i, i) and i
        /// lies in the block; then block column <c>Gap</c> = i − first has no cell and the columns after it follow on
        /// directly.</summary>
        private static (int At, int Gap) BlockLayout(RowBuffer weights, int n, int i, int first, int last)
        {
            var at = weights.Start[i] + first;
            if (weights.Length[i] == n || i >= last) return (at, -1);
            return i < first ? (at - 1, -1) : (at, i - first);
        }

        /// <summary>Adds <paramref name="stake"/> to the histogram bucket of each vote, the k-th vote's in the histogram
        /// of block column <paramref name="column"/> + k.</summary>
        private static void AddToHistograms(Span<long> histograms, int column, ReadOnlySpan<long> votes, long stake)
        {
            var at = column * HistogramBuckets;
            var k = 0;
            if (Avx512CD.IsSupported)
            {
                // eight buckets at once (a vector leading-zero count), then eight scalar additions
                Span<long> index = stackalloc long[8];
                var lanes = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7) * HistogramBuckets;
                var octave = Vector512.Create(63L - SubBucketBits);
                for (; k + 8 <= votes.Length; k += 8, at += 8 * HistogramBuckets)
                {
                    var score = Vector512.Create(votes.Slice(k, 8)).AsUInt64();
                    var shift = Vector512.Max(octave - Avx512CD.LeadingZeroCount(score).AsInt64(), Vector512<long>.Zero);
                    var bucket = (shift << SubBucketBits) + Avx512F.ShiftRightLogicalVariable(score, shift.AsUInt64()).AsInt64();
                    (bucket + lanes + Vector512.Create((long)at)).CopyTo(index);
                    histograms[(int)index[0]] += stake;
                    histograms[(int)index[1]] += stake;
                    histograms[(int)index[2]] += stake;
                    histograms[(int)index[3]] += stake;
                    histograms[(int)index[4]] += stake;
                    histograms[(int)index[5]] += stake;
                    histograms[(int)index[6]] += stake;
                    histograms[(int)index[7]] += stake;
                }
            }
            for (; k < votes.Length; k++, at += HistogramBuckets) histograms[at + HistogramBucket(votes[k])] += stake;
        }

        /// <summary>Appends each vote that lies in its column's chosen bucket, with its voter's stake, to that column's
        /// members.</summary>
        private void CollectMembers(int column, ReadOnlySpan<long> votes, long stake)
        {
            var k = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; k + 8 <= votes.Length; k += 8)
                {
                    var offset = Vector512.Create(votes.Slice(k, 8)).AsUInt64() - Vector512.Create(_bucketLow.AsSpan(column + k, 8)).AsUInt64();
                    var inside = Vector512.LessThan(offset, Vector512.Create(_bucketWidth.AsSpan(column + k, 8)).AsUInt64()).ExtractMostSignificantBits();
                    for (; inside != 0; inside &= inside - 1)
                    {
                        var lane = BitOperations.TrailingZeroCount(inside);
                        Append(column + k + lane, votes[k + lane], stake);
                    }
                }
            }
            for (; k < votes.Length; k++)
                if ((ulong)(votes[k] - _bucketLow[column + k]) < (ulong)_bucketWidth[column + k]) Append(column + k, votes[k], stake);
        }

        private void Append(int c, long score, long stake)
        {
            var at = c * _voters + _memberCount[c]++;
            _memberScores[at] = score;
            _memberStakes[at] = stake;
        }
    }
}
