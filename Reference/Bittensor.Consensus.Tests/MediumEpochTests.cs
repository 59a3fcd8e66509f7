using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// Epochs just large enough for the consensus's bucketed selection (more than 256 votes in a column) and both row
/// sorts, yet cheap enough for the mutation run: 300 validators all weighting uids 0–2 plus a few random others.
/// </summary>
public class MediumEpochTests
{
    private static (Hyperparameters, EpochState) Popular(int seed, int others, bool spread, bool yuma3)
    {
        var rng = new Random(seed);
        const int n = 300;
        const ulong block = 100_000;
        ushort Value() => spread ? (ushort)rng.Next(0, 65536) : (ushort)(rng.Next(2) * 30000 + 1000);
        StoredEntry[] Row() => new[] { 0, 1, 2 }.Concat(Enumerable.Range(0, others).Select(_ => rng.Next(3, n)))
            .Select(j => new StoredEntry(j, Value())).ToArray();
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, 65535, 900000, n, 0, 0, yuma3, false, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), new ulong[n],
            Enumerable.Range(0, n).Select(_ => (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], null,
            Enumerable.Repeat(true, n).ToArray(), Enumerable.Range(0, n).Select(_ => Row()).ToArray(),
            Enumerable.Range(0, n).Select(_ => Row()).ToArray(), Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    [Theory]
    [InlineData(1, 3, true, true)]    // short rows: comparison sort; columns 0–2 hold 300 spread votes
    [InlineData(2, 3, false, true)]   // votes on two values: one bucket holds them all
    [InlineData(3, 40, true, false)]  // long rows: counting sort; original bonds
    public void Columns_with_hundreds_of_votes_match_the_spec(int seed, int others, bool spread, bool yuma3)
    {
        var (hp, state) = Popular(seed, others, spread, yuma3);
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace());
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
    }
}
