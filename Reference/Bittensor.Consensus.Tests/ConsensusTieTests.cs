using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The consensus at exact stake ties: a column's vote is the smallest s whose cumulative stake W(≤ s) exceeds
/// σ − κ strictly, so where W(≤ s) equals σ − κ to the last bit the vote is the next one. The voters' stakes sum to
/// 2^32 rao, so every normalisation on the way is exact and each voter's I32F32 stake is its rao; κ = 32768 makes
/// σ − κ = 2^31 − 32768, which two of the stakes sum to. Checked against a sort of each column's votes, on both
/// consensus paths (full rows, and the general path's zero votes, buckets and quick-select), in I32F32 bits.
/// </summary>
public class ConsensusTieTests
{
    private const int Voters = 8;
    private const int N = 40;

    /// <summary>Two of them, 2^30 and 2^30 − 32768, sum to σ − κ; the rest make up 2^32 (with the 300 extra voters
    /// of 1 rao each, <see cref="Ties_past_256_positive_votes_are_found_through_the_histogram"/>, voter 5 has 300 less).</summary>
    private static ulong StakeOf(int v, int extraVoters) => v switch
    {
        0 => 1UL << 30,
        1 => (1UL << 30) - 32768,
        2 or 3 => 1UL << 29,
        4 => 1UL << 30,
        5 => 16384 - (ulong)extraVoters,
        6 or 7 => 8192,
        _ => 1,
    };

    private static (Hyperparameters, EpochState) TieEpoch(int seed, ushort kappa, bool fullRows, int extraVoters = 0)
    {
        var rng = new Random(seed);
        var voters = Voters + extraVoters;
        var n = N + extraVoters;
        const ulong block = 10_000;
        // voters 0 and 1 (whose stakes sum to σ − κ) vote low: often 0 (no cell, or a zero weight), often a small
        // weight, sometimes a large one; the others vote large weights in every column. So many columns tie at 0 or
        // at voter 0's or 1's vote. Column N − 1 gets explicit zeros from everyone.
        StoredEntry[] Row(int i)
        {
            if (i >= voters) return [];
            var low = i < 2;
            var columns = Enumerable.Range(0, n).Where(j => j != i && (fullRows || !low || rng.Next(4) > 0));
            ushort Weight(int j) => j == N - 1 ? (ushort)0
                : low ? (ushort)(rng.Next(4) switch { 0 => 0, 1 or 2 => 1 + rng.Next(5), _ => 1000 * (1 + rng.Next(6)) })
                : (ushort)(1000 * (1 + rng.Next(6)));
            return columns.Select(j => new StoredEntry(j, Weight(j))).ToArray();
        }
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, kappa, 65535, 900000, (ushort)n, 0, 0, true, false, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), new ulong[n],
            Enumerable.Range(0, n).Select(i => i < voters ? StakeOf(i, extraVoters) : 0UL).ToArray(), new ulong[n], null,
            Enumerable.Range(0, n).Select(i => i < voters).ToArray(),
            Enumerable.Range(0, n).Select(Row).ToArray(), Enumerable.Range(0, n).Select(_ => Array.Empty<StoredEntry>()).ToArray(),
            Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    /// <summary>Each column's votes, sorted, with their voters' stakes (a voter without a cell votes 0).</summary>
    private static (long Vote, long Stake)[][] SortedColumns(EpochState state, int extraVoters)
    {
        var voters = Voters + extraVoters;
        var votes = new long[state.N, voters];
        for (var v = 0; v < voters; v++)
        {
            var sum = state.Weights[v].Sum(e => (long)e.Value);
            foreach (var e in state.Weights[v]) votes[e.Uid, v] = sum == 0 ? 0 : ((long)e.Value << 32) / sum;
        }
        return Enumerable.Range(0, state.N)
            .Select(j => Enumerable.Range(0, voters).Select(v => (votes[j, v], (long)StakeOf(v, extraVoters))).OrderBy(x => x.Item1).ToArray())
            .ToArray();
    }

    private static long Minority(Hyperparameters hp) => (1L << 32) - Conversions.U16ProportionToFixed(hp.Kappa).Bits;

    /// <summary>Each column's vote by definition: the first sorted vote whose cumulative stake exceeds σ − κ, else the
    /// largest.</summary>
    private static long[] ExpectedConsensus(Hyperparameters hp, EpochState state, int extraVoters = 0) =>
        SortedColumns(state, extraVoters).Select(column =>
        {
            long cumulative = 0;
            foreach (var (vote, stake) in column)
                if ((cumulative += stake) > Minority(hp)) return vote;
            return column[^1].Vote;
        }).ToArray();

    /// <summary>How many columns have a vote at which the cumulative stake (of all votes up to it) is σ − κ exactly.</summary>
    private static int Ties(Hyperparameters hp, EpochState state, int extraVoters = 0) =>
        SortedColumns(state, extraVoters).Count(column =>
        {
            long cumulative = 0;
            foreach (var group in column.GroupBy(x => x.Vote))
                if ((cumulative += group.Sum(x => x.Stake)) == Minority(hp)) return true;
            return false;
        });

    [Theory]
    [InlineData(32768, true)]
    [InlineData(32768, false)]
    [InlineData(0, false)]     // σ − κ = σ: no cumulative stake exceeds it, every column votes its largest
    [InlineData(65535, true)]  // σ − κ = 0: the smallest vote
    [InlineData(65535, false)]
    public void Every_column_votes_past_an_exact_tie(int kappa, bool fullRows)
    {
        var ties = 0;
        for (var seed = 0; seed < 30; seed++)
        {
            var (hp, state) = TieEpoch(seed, (ushort)kappa, fullRows);
            var expected = ExpectedConsensus(hp, state);
            foreach (var paths in new[] { true, false })
            {
                var workspace = new EpochWorkspace { FullRowPaths = paths, ParallelThreshold = 0 };
                Epoch.Run(hp, state, workspace);
                Assert.Equal(paths && fullRows && kappa != 0, workspace.FullRowConsensusInLastEpoch);
                Assert.Equal(expected, workspace.LastConsensus);
            }
            ties += Ties(hp, state);
        }
        if (kappa == 32768) Assert.True(ties >= 100, $"only {ties} columns reach σ − κ exactly");
    }

    [Fact]
    public void Ties_past_256_positive_votes_are_found_through_the_histogram()
    {
        // 300 more voters of 1 rao each, voting large weights in every column: the general path's histogram
        var ties = 0;
        for (var seed = 0; seed < 5; seed++)
        {
            var (hp, state) = TieEpoch(100 + seed, 32768, fullRows: false, extraVoters: 300);
            var workspace = new EpochWorkspace { FullRowPaths = false, ParallelThreshold = 0 };
            Epoch.Run(hp, state, workspace);
            Assert.Equal(ExpectedConsensus(hp, state, 300), workspace.LastConsensus);
            ties += Ties(hp, state, 300);
        }
        Assert.True(ties >= 50, $"only {ties} columns reach σ − κ exactly");
    }
}
