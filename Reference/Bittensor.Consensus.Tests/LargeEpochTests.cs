using Xunit;
using Spec = Bittensor.Spec;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The spec as oracle on epochs large enough for the paths the small edge cases never reach: passes split into
/// parallel ranges by the default threshold, rows sorted by comparison (few cells) and by counting (many), the
/// consensus's column blocks and vote buckets (spread votes, votes concentrated on a few values), duplicates in long
/// rows, every bond rule and bonds penalty, and a workspace reused across all of them.
/// The epochs are tagged <c>Size=Large</c>: the mutation run leaves them out (each takes seconds of spec time per
/// mutant); the two small guard tests below are not.
/// </summary>
public class LargeEpochTests
{
    public enum Votes { Spread, Concentrated }

    /// <summary>n uids; <paramref name="validators"/> of them weight <paramref name="perRow"/> uids each (with
    /// replacement when <paramref name="duplicates"/>, so some rows repeat a uid) and hold bonds of the same size;
    /// a tenth of the uids registered recently; stakes random, miners unstaked.</summary>
    private static (Hyperparameters, EpochState) Sized(int seed, int n, int validators, int perRow, bool duplicates,
        Votes votes, bool yuma3, bool liquid, Era era, ushort bondsPenalty)
    {
        var rng = new Random(seed);
        const ulong block = 100_000;
        ushort Value() => votes == Votes.Spread ? (ushort)rng.Next(0, 65536) : (ushort)(rng.Next(3) * 20000 + 5000);
        StoredEntry[] Row()
        {
            var targets = duplicates
                ? Enumerable.Range(0, perRow).Select(_ => rng.Next(0, n)).ToArray()
                : Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(perRow).ToArray();
            return targets.Select(j => new StoredEntry(j, Value())).ToArray();
        }
        var weights = Enumerable.Range(0, n).Select(i => i < validators ? Row() : []).ToArray();
        var bonds = Enumerable.Range(0, n).Select(i => i < validators ? Row() : []).ToArray();
        var registered = Enumerable.Range(0, n).Select(_ => rng.Next(10) == 0 ? block - 5 : 0UL).ToArray();
        var stake = Enumerable.Range(0, n).Select(i => i < validators ? (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000) : 0UL).ToArray();
        var hp = new Hyperparameters(era, 5000, 360, 13889, 32767, bondsPenalty, 900000, (ushort)validators, 0, 0,
            yuma3, liquid, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), registered, stake, new ulong[n], null,
            Enumerable.Range(0, n).Select(i => i < validators).ToArray(), weights, bonds, Enumerable.Repeat(ulong.MaxValue, n).ToArray(),
            block - 360, 1_000_000_000);
        return (hp, state);
    }

    private static readonly EpochWorkspace Reused = new();

    public static TheoryData<int, int, int, int, bool, Votes, bool, bool, Era, ushort> Cases() => new()
    {
        // seed, n, validators, per row, duplicates, votes, yuma3, liquid, era, bonds penalty
        { 1, 300, 300, 300, false, Votes.Spread, true, false, Era.Current, 65535 },      // dense: counting sort, all voters
        { 2, 300, 300, 300, false, Votes.Concentrated, true, false, Era.Current, 32768 }, // one bucket holds most votes
        { 3, 1200, 1200, 48, false, Votes.Spread, true, false, Era.Current, 0 },          // sparse: comparison sort
        { 4, 1200, 1200, 48, true, Votes.Spread, true, false, Era.Current, 32768 },       // duplicates in sparse rows
        { 5, 300, 250, 400, true, Votes.Spread, true, false, Era.Current, 65535 },        // duplicates in dense rows
        { 6, 300, 300, 300, false, Votes.Spread, false, false, Era.Current, 65535 },      // original bonds
        { 7, 300, 300, 300, true, Votes.Concentrated, false, false, Era.Before2025_10, 32768 }, // legacy era
        { 8, 300, 300, 300, false, Votes.Spread, true, true, Era.Current, 65535 },        // liquid alpha, stored order
        { 9, 300, 300, 300, true, Votes.Spread, true, true, Era.Current, 32768 },         // liquid alpha, interpolated
        { 10, 1200, 40, 1200, false, Votes.Spread, true, false, Era.Current, 65535 },     // few validators, long rows
    };

    [Theory]
    [Trait("Size", "Large")]
    [MemberData(nameof(Cases))]
    public void Large_epochs_match_the_spec(int seed, int n, int validators, int perRow, bool duplicates, Votes votes,
        bool yuma3, bool liquid, Era era, ushort bondsPenalty)
    {
        var (hp, state) = Sized(seed, n, validators, perRow, duplicates, votes, yuma3, liquid, era, bondsPenalty);
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace());
        lock (Reused) SpecOracleTests.AssertMatchesSpec(hp, state, Reused);
    }

    [Fact]
    public void A_row_whose_weights_sum_past_the_I32F32_range_stops_the_epoch_as_in_the_spec()
    {
        // 32 769 cells of 65 535 sum to 2^31 + 32 767 whole units: the spec's I32F32 row sum overflows
        var (hp, state) = Sized(11, 2, 2, 1, false, Votes.Spread, true, false, Era.Current, 65535);
        var heavy = Enumerable.Repeat(new StoredEntry(1, 65535), 32769).ToArray();
        state = state with { Weights = [heavy, []] };
        var error = Assert.Throws<OverflowException>(() => SpecYuma().Invoke(hp, state));
        Assert.Contains("overflow", error.Message);
        var reference = Assert.Throws<OverflowException>(() => Epoch.Run(hp, state, new EpochWorkspace { ParallelThreshold = 0 }));
        Assert.Contains("uid 0", reference.Message);
        // one cell fewer fits, and so does a sum of exactly 2^31 − 1, the largest I32F32 integer
        state = state with { Weights = [heavy[..32768], []] };
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
        state = state with { Weights = [[.. heavy[..32768], new StoredEntry(1, 32767)], []] };
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
    }

    private static Func<Hyperparameters, EpochState, Spec.Yuma.EpochOutput> SpecYuma() =>
        (hp, s) => Spec.Yuma.Epoch.run(SpecOracleTests.ToSpec(hp), SpecOracleTests.ToSpec(s));

    [Fact]
    public void A_workspace_runs_one_epoch_at_a_time()
    {
        var (hp, state) = Sized(12, 20, 5, 10, false, Votes.Spread, true, false, Era.Current, 65535);
        var workspace = new EpochWorkspace();
        workspace.Enter(); // as if another thread were inside an epoch
        var error = Assert.Throws<InvalidOperationException>(() => Epoch.Run(hp, state, workspace));
        Assert.Contains("already running an epoch", error.Message);
        workspace.Exit();
        var first = Epoch.Run(hp, state, workspace);
        Assert.Equal(Epoch.Run(hp, state).Consensus, first.Consensus); // usable again once the other epoch left
    }
}
