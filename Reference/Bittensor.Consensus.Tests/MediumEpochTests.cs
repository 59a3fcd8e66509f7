using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// Epochs just large enough for the consensus's bucketed selection (more than 256 votes in a column) and both row
/// sorts, yet cheap enough for the mutation run: 297 validators all weighting uids 0–2 plus a few random others.
/// </summary>
public class MediumEpochTests
{
    /// <summary>How the voters weight uids 0–2.</summary>
    public enum Votes
    {
        /// <summary>Any u16 value.</summary>
        Spread,
        /// <summary>1000 or 31000.</summary>
        TwoValues,
        /// <summary>Only 0–2 are weighted; 70 % of the voters weight them equally, so that their shared vote is column 0's
        /// smallest (the median falls on the lowest bucket's lowest vote) and column 1's largest.</summary>
        MostlyLowest,
        /// <summary>70 % of the voters hold explicit zero cells in 0–2 (every voter has a cell there).</summary>
        MostlyZero,
        /// <summary>Every voter weights 0–2 equally and nothing else: one vote value per column.</summary>
        AllEqual,
    }

    private static (Hyperparameters, EpochState) Popular(int seed, int others, Votes votes, bool yuma3)
    {
        var rng = new Random(seed);
        const int n = 300;
        const ulong block = 100_000;
        StoredEntry[] Row(int voter)
        {
            var majority = voter * 10 < n * 7;
            ushort[] popular = votes switch
            {
                Votes.Spread => [(ushort)rng.Next(0, 65536), (ushort)rng.Next(0, 65536), (ushort)rng.Next(0, 65536)],
                Votes.TwoValues => [.. Enumerable.Range(0, 3).Select(_ => (ushort)(rng.Next(2) * 30000 + 1000))],
                Votes.MostlyLowest or Votes.AllEqual when majority || votes == Votes.AllEqual => [1000, 1000, 1000],
                Votes.MostlyLowest => [(ushort)rng.Next(2000, 60000), 1000, 1000],
                Votes.MostlyZero when majority => [0, 0, 0],
                _ => [(ushort)rng.Next(1, 65536), (ushort)rng.Next(1, 65536), (ushort)rng.Next(1, 65536)],
            };
            var extra = votes is Votes.AllEqual or Votes.MostlyLowest ? 0 : others;
            return popular.Select((value, j) => new StoredEntry(j, value))
                .Concat(Enumerable.Range(0, extra).Select(_ => new StoredEntry(rng.Next(3, n), (ushort)rng.Next(0, 65536)))).ToArray();
        }
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, 65535, 900000, n, 0, 0, yuma3, false, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), new ulong[n],
            // uids 0–2 are miners without stake, so that every voter can hold a cell in their columns
            Enumerable.Range(0, n).Select(i => i < 3 ? 0UL : (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], null,
            Enumerable.Repeat(true, n).ToArray(), Enumerable.Range(0, n).Select(Row).ToArray(),
            Enumerable.Range(0, n).Select(Row).ToArray(), Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    [Theory]
    [InlineData(1, 3, Votes.Spread, true)]        // short rows: comparison sort; columns 0–2 hold 300 spread votes
    [InlineData(2, 3, Votes.TwoValues, true)]     // votes near two values
    [InlineData(3, 40, Votes.Spread, false)]      // long rows: counting sort; original bonds
    [InlineData(4, 3, Votes.MostlyLowest, true)]  // the consensus is a column's smallest vote, or its largest
    [InlineData(5, 3, Votes.MostlyZero, true)]    // explicit zero votes outweigh the rest: consensus 0
    [InlineData(6, 0, Votes.AllEqual, true)]      // smallest = largest
    public void Columns_with_hundreds_of_votes_match_the_spec(int seed, int others, Votes votes, bool yuma3)
    {
        var (hp, state) = Popular(seed, others, votes, yuma3);
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace());
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
    }
}
