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
        /// <summary>Every tenth voter holds explicit zero cells in 0–2, the rest any positive value: zero votes among
        /// more than 256 positive ones.</summary>
        SomeZero,
        /// <summary>Every voter weights 0–2 equally and nothing else: one vote value per column.</summary>
        AllEqual,
        /// <summary>Any u16 value, each of 0–2 weighted twice (the later cell is the vote).</summary>
        Duplicated,
    }

    private static (Hyperparameters, EpochState) Popular(int seed, int others, Votes votes, bool yuma3, bool liquidAlpha, ushort bondsPenalty, ushort kappa)
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
                Votes.Duplicated => [.. Enumerable.Range(0, 6).Select(_ => (ushort)rng.Next(0, 65536))],
                Votes.TwoValues => [.. Enumerable.Range(0, 3).Select(_ => (ushort)(rng.Next(2) * 30000 + 1000))],
                Votes.AllEqual => [1000, 1000, 1000],
                Votes.MostlyLowest when majority => [1000, 1000, 1000],
                Votes.MostlyLowest => [(ushort)rng.Next(2000, 60000), 1000, 1000],
                Votes.MostlyZero when majority => [0, 0, 0],
                Votes.SomeZero when voter % 10 == 0 => [0, 0, 0],
                _ => [(ushort)rng.Next(1, 65536), (ushort)rng.Next(1, 65536), (ushort)rng.Next(1, 65536)],
            };
            var extra = votes is Votes.AllEqual or Votes.MostlyLowest ? 0 : others;
            return popular.Select((value, j) => new StoredEntry(j % 3, value))
                .Concat(Enumerable.Range(0, extra).Select(_ => new StoredEntry(rng.Next(3, n), (ushort)rng.Next(0, 65536)))).ToArray();
        }
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, kappa, bondsPenalty, 900000, n, 0, 0, yuma3, liquidAlpha, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), new ulong[n],
            // uids 0–2 are miners without stake, so that every voter can hold a cell in their columns
            Enumerable.Range(0, n).Select(i => i < 3 ? 0UL : (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], null,
            Enumerable.Repeat(true, n).ToArray(), Enumerable.Range(0, n).Select(Row).ToArray(),
            Enumerable.Range(0, n).Select(Row).ToArray(), Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    [Theory]
    [InlineData(1, 3, Votes.Spread, true, false, 65535)]        // short rows: comparison sort; columns 0–2 hold 297 spread votes
    [InlineData(2, 3, Votes.TwoValues, true, false, 65535)]     // votes near two values
    [InlineData(3, 40, Votes.Spread, false, false, 65535)]      // long rows: counting sort; original bonds
    [InlineData(4, 3, Votes.MostlyLowest, true, false, 65535)]  // the consensus is a column's smallest vote, or its largest
    [InlineData(5, 3, Votes.MostlyZero, true, false, 65535)]    // explicit zero votes outweigh the rest: consensus 0
    [InlineData(6, 0, Votes.AllEqual, true, false, 65535)]      // smallest = largest
    [InlineData(7, 3, Votes.Duplicated, true, false, 32767)]    // duplicates: the later cell votes and is interpolated
    [InlineData(8, 3, Votes.SomeZero, true, false, 65535)]      // zero votes beside the histogram's positive ones
    [InlineData(9, 3, Votes.Spread, true, false, 65535, 0)]     // κ = 0: no vote exceeds the minority σ; the largest wins
    public void Columns_with_hundreds_of_votes_match_the_spec(int seed, int others, Votes votes, bool yuma3, bool liquidAlpha, int bondsPenalty, int kappa = 32767)
    {
        var (hp, state) = Popular(seed, others, votes, yuma3, liquidAlpha, (ushort)bondsPenalty, (ushort)kappa);
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace());
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
    }

    /// <summary>The workspace records how long the last epoch's passes took: each pass a part of the whole.</summary>
    [Fact]
    public void The_workspace_records_each_pass_time_within_the_epoch()
    {
        var (hp, state) = Popular(14, 40, Votes.Spread, yuma3: true, liquidAlpha: false, 65535, kappa: 32767);
        var workspace = new EpochWorkspace();
        Assert.Equal(default, workspace.LastPassTimes);
        Epoch.Run(hp, state, workspace);
        var times = workspace.LastPassTimes;
        Assert.All([times.Weights, times.Consensus, times.Bonds], pass => Assert.InRange(pass, TimeSpan.FromTicks(1), times.Total));
        Assert.True(times.Weights + times.Consensus + times.Bonds <= times.Total, $"{times}: the passes take longer than the epoch");
    }

    /// <summary>Stored bonds in uid order, as the chain stores them (and as <see cref="Epoch.Run(Hyperparameters,
    /// EpochState, EpochWorkspace)"/> returns them): the EMA merges them with the weights without sorting. Here a uid's
    /// duplicates stay in stored order and each row also holds a bond past n; then three epochs, each reading the bonds
    /// the previous one returned.</summary>
    [Theory]
    [InlineData(11, Votes.Duplicated, 65535)]
    [InlineData(12, Votes.Spread, 32767)]
    [InlineData(13, Votes.SomeZero, 0)]
    public void Bonds_stored_in_uid_order_match_the_spec_epoch_after_epoch(int seed, Votes votes, int bondsPenalty)
    {
        var (hp, state) = Popular(seed, 3, votes, yuma3: true, liquidAlpha: false, (ushort)bondsPenalty, kappa: 32767);
        state = state with
        {
            Bonds = [.. state.Bonds.Select((row, i) => row.Append(new StoredEntry(state.N + i % 3, 40000)).OrderBy(e => e.Uid).ToArray())],
        };
        Assert.Contains(state.Bonds, row => row.Zip(row.Skip(1)).Any(pair => pair.First.Uid == pair.Second.Uid));
        for (var epoch = 0; epoch < 3; epoch++)
        {
            SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
            state = state with { Bonds = Epoch.Run(hp, state).Bonds, Block = state.Block + hp.Tempo, LastMechanismStepBlock = state.Block };
        }
    }

    /// <summary>A bonds moving average above 10^6 makes the EMA's α negative and 1 − α above 1 (the chain allows it; the
    /// spec follows): the EMA's products then take the general saturating multiplication, not the one for
    /// proportions. Yuma 3 and the original bonds, three epochs each.</summary>
    [Theory]
    [InlineData(true, 1_500_000UL)]
    [InlineData(true, 3_000_000UL)]
    [InlineData(false, 1_500_000UL)]
    public void A_bonds_moving_average_above_one_million_matches_the_spec(bool yuma3, ulong bondsMovingAverage)
    {
        var (hp, state) = Popular(15, 40, Votes.Spread, yuma3, liquidAlpha: false, 65535, kappa: 32767);
        hp = hp with { BondsMovingAverage = bondsMovingAverage };
        Assert.True(Conversions.EmaAlphaOfBondsMovingAverage(bondsMovingAverage).Bits < 0);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
            state = state with { Bonds = Epoch.Run(hp, state).Bonds, Block = state.Block + hp.Tempo, LastMechanismStepBlock = state.Block };
        }
    }

    /// <summary>Liquid alpha reads W and the stored bonds in their stored order through the chain's forward-only
    /// cursors; rows here are shuffled, hold duplicates, and the bonds hold columns without weights and uids past n.
    /// Small (40 uids): the spec's liquid alpha costs seconds at 300.</summary>
    [Theory]
    [InlineData(1, 65535)]  // weights for bonds = the clipped W
    [InlineData(2, 0)]      // = W
    [InlineData(3, 32767)]  // interpolated (column-sorted)
    public void Liquid_alpha_over_unsorted_rows_matches_the_spec(int seed, int bondsPenalty)
    {
        var rng = new Random(seed);
        const int n = 40;
        const ulong block = 100_000;
        StoredEntry[] Shuffled(int count, int range) =>
            Enumerable.Range(0, count).Select(_ => new StoredEntry(rng.Next(range), (ushort)rng.Next(0, 65536))).ToArray();
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, (ushort)bondsPenalty, 900000, n, 0, 0, true, true, 45875, 58982, 1000, false);
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), new ulong[n],
            Enumerable.Range(0, n).Select(_ => (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], null,
            Enumerable.Repeat(true, n).ToArray(),
            Enumerable.Range(0, n).Select(_ => Shuffled(rng.Next(n / 2, n + 10), n)).ToArray(),
            Enumerable.Range(0, n).Select(_ => Shuffled(rng.Next(n / 2, n + 10), n + 5)).ToArray(),
            Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace());
        SpecOracleTests.AssertMatchesSpec(hp, state, new EpochWorkspace { ParallelThreshold = 0 });
    }
}

/// <summary>Small epochs at the boundaries of the per-uid rules, each against the spec: commits at exactly a target's
/// registration block, last updates at the top of the u64 range, bonds of uids registered around the last mechanism
/// step, an activity cutoff whose factor · tempo overflows u64, a legacy epoch at block = tempo, an empty permit mask,
/// state vectors longer than n, and a liquid-alpha bond exactly equal to its weight.</summary>
public class BoundaryEpochTests
{
    private const int N = 6;

    private static (Hyperparameters, EpochState) Base(int seed)
    {
        var rng = new Random(seed);
        StoredEntry[] Row() => Enumerable.Range(0, N).Select(j => new StoredEntry(j, (ushort)rng.Next(1, 65536))).ToArray();
        var hp = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, 65535, 900000, N, 0, 0, true, false, 45875, 58982, 1000, false);
        var state = new EpochState(N, 1_000, Enumerable.Repeat(990UL, N).ToArray(), new ulong[N],
            Enumerable.Range(0, N).Select(_ => (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[N], null,
            Enumerable.Repeat(true, N).ToArray(), Enumerable.Range(0, N).Select(_ => Row()).ToArray(),
            Enumerable.Range(0, N).Select(_ => Row()).ToArray(), Enumerable.Repeat(ulong.MaxValue, N).ToArray(), 640, 1_000_000_000);
        return (hp, state);
    }

    public static TheoryData<string> Cases => new()
    {
        "commit at registration", "last update at u64 max", "registered around the last step", "cutoff overflows",
        "legacy at block = tempo", "no stored permits", "state vectors longer than n", "liquid alpha, bond equal to weight",
        "a row of zero weights", "liquid alpha, zero weight without consensus",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Boundary_epochs_match_the_spec(string name)
    {
        var (hp, s) = Base(name.Length);
        (hp, s) = name switch
        {
            // commits older than a target's registration drop the weight; a commit in the registration block keeps it
            "commit at registration" => (hp with { CommitReveal = true },
                s with { BlockAtRegistration = [0, 50, 50, 80, 0, 0], CommitBlocks = [50, 50, 80, 49, 100, 0] }),
            // last update + cutoff (5000) saturates at u64 max: the uid stays active (wrapped, it would look 5000 blocks old)
            "last update at u64 max" => (hp, s with { Block = 10_000, LastMechanismStepBlock = 9_640, LastUpdate = [ulong.MaxValue, 9_990, ulong.MaxValue - 1, 9_990, 9_990, 9_990] }),
            // bonds of uids registered at or after the block after the last mechanism step are dropped
            "registered around the last step" => (hp, s with { LastMechanismStepBlock = 500, BlockAtRegistration = [499, 500, 501, 498, 502, 0] }),
            // factor · tempo past u64 saturates before the division by 1000: every uid is active
            "cutoff overflows" => (hp with { ActivityCutoffFactorMilli = ulong.MaxValue / 100 }, s with { LastUpdate = [1, 1, 1, 1, 1, 1] }),
            "legacy at block = tempo" => (hp with { Era = Era.Before2025_10 }, s with { Block = 360 }),
            // a permit mask of length 0 masks nothing (uids keep their active stake; no row has weights, so the
            // emission falls back to the active stake, which leaves out the inactive uid 1)
            "no stored permits" => (hp, s with { ValidatorPermits = [], Block = 10_000, LastMechanismStepBlock = 9_640, LastUpdate = [9_990, 1, 9_990, 9_990, 9_990, 9_990] }),
            // per-uid vectors past n: the outputs still have n entries
            "state vectors longer than n" => (hp, s with { LastUpdate = [.. s.LastUpdate, 990, 1], BlockAtRegistration = [.. s.BlockAtRegistration, 0] }),
            // uid 0 weights only uid 3 (w = 1, unclipped: bonds penalty 0) and holds bond 65535 on it (b = 1): at w = b
            // the sigmoid takes the buy side, and the EMA α·w + (1 − α)·b is 1 whatever α is
            "liquid alpha, bond equal to weight" => (hp with { LiquidAlpha = true, BondsPenalty = 0 }, s with
            {
                Weights = [[new(3, 500)], .. s.Weights[1..]],
                Bonds = [[new(3, 65535), new(4, 100)], .. s.Bonds[1..]],
            }),
            // a row whose cells are all 0 is not normalised (its sum is 0)
            "a row of zero weights" => (hp, s with { Weights = [[new(1, 0), new(2, 0)], .. s.Weights[1..]] }),
            // only uid 0 weights uid 3, with 0: the consensus of 3 is 0 and the clip keeps the zero cell (it drops
            // cells above the consensus), so the liquid EMA keeps uid 0's decayed bond on 3
            "liquid alpha, zero weight without consensus" => (hp with { LiquidAlpha = true }, s with
            {
                Weights = [[new(3, 0), new(4, 1000)], .. s.Weights[1..].Select(row => row.Where(e => e.Uid != 3).ToArray())],
                Bonds = [[new(3, 40000), new(4, 100)], .. s.Bonds[1..]],
            }),
            _ => throw new ArgumentException(name),
        };
        SpecOracleTests.AssertMatchesSpec(hp, s, new EpochWorkspace());
    }

    [Fact]
    public void Top_k_ties_drop_the_lower_uids_first_past_the_insertion_sort_size()
    {
        // 40 equal stakes (Array.Sort switches from insertion sort, which is stable, at 16 elements)
        var kept = Epoch.IsTopkNonzero(Enumerable.Repeat(7L, 40).ToArray(), 25);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i >= 15), kept);
    }
}
