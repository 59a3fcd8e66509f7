using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The paths for full rows (every column weighted once, perhaps without the diagonal): the masking's placement without
/// a sort, and the bonds pass's vectorised walk (bonds on every column or none). Against the spec and the general
/// paths, on dense subnets wide enough for whole vectors and their tails, with the shapes that must leave them (a
/// duplicate, a masked or missing cell, bonds out of order or missing, a recently registered column, a penalty between
/// 0 and 1, a negative EMA α, the legacy era).
/// </summary>
public class FullRowTests
{
    /// <summary>How row i's stored bonds are shaped.</summary>
    public enum BondShape
    {
        /// <summary>A bond on every uid, in order.</summary>
        Full,
        /// <summary>Every uid but i (the steady state: a validator's bond on itself decays to 0 and is dropped).</summary>
        WithoutDiagonal,
        /// <summary>None (a new validator).</summary>
        Empty,
        /// <summary>Every uid, the first two swapped (the general path sorts them).</summary>
        OutOfOrder,
        /// <summary>Every uid, the bond on uid 5 zero, and no weight on it: B_i5 = 0 leaves the EMA row.</summary>
        ZeroCell,
        /// <summary>Uids 0 … n − 3 in order: neither full nor full but the diagonal.</summary>
        Truncated,
    }

    private static (Hyperparameters, EpochState) Dense(int seed, int n, BondShape bonds, ushort bondsPenalty,
        bool missingCell = false, bool recentColumn = false, Era era = Era.Current, int? owner = 3, ulong bondsMovingAverage = 900000)
    {
        var rng = new Random(seed);
        const ulong block = 100_000;
        StoredEntry[] WeightRow(int i)
        {
            // shuffled, as submitted; zero weights here and there; the cell on uid 5 zero when its bond is
            var row = Enumerable.Range(0, n)
                .Where(j => !(missingCell && i % 2 == 0 && j == n - 1))
                .Select(j => new StoredEntry(j, (ushort)(bonds == BondShape.ZeroCell && j == 5 || rng.Next(10) == 0 ? 0 : rng.Next(1, 65536))))
                .ToArray();
            rng.Shuffle(row);
            return row;
        }
        StoredEntry[] BondRow(int i)
        {
            var row = bonds switch
            {
                BondShape.Empty => [],
                BondShape.WithoutDiagonal => Enumerable.Range(0, n).Where(j => j != i).Select(j => new StoredEntry(j, (ushort)rng.Next(0, 65536))).ToArray(),
                _ => Enumerable.Range(0, n).Select(j => new StoredEntry(j, (ushort)(rng.Next(8) == 0 ? 65535 : rng.Next(1, 65536)))).ToArray(),
            };
            if (bonds == BondShape.OutOfOrder) (row[0], row[1]) = (row[1], row[0]);
            if (bonds == BondShape.Truncated) row = row[..^2];
            if (bonds == BondShape.ZeroCell) row[5] = new StoredEntry(5, 0);
            return row;
        }
        var hp = new Hyperparameters(era, 5000, 360, 13889, 32767, bondsPenalty, bondsMovingAverage, (ushort)n, 0, 0, true, false, 45875, 58982, 1000, false);
        var registration = new ulong[n];
        if (recentColumn) registration[n - 2] = block - 10; // after the last tempo: its bonds do not load
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), registration,
            Enumerable.Range(0, n).Select(_ => (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], owner,
            Enumerable.Range(0, n).Select(i => i % 7 != 6).ToArray(), // some rows without a stored permit: no weights
            Enumerable.Range(0, n).Select(WeightRow).ToArray(), Enumerable.Range(0, n).Select(BondRow).ToArray(),
            Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    /// <summary>The epoch matches the spec, and the general path, whichever path it takes; returns how many rows took
    /// the full-row path.</summary>
    private static int FullRowsOf(Hyperparameters hp, EpochState state)
    {
        var workspace = new EpochWorkspace { ParallelThreshold = 0 };
        SpecOracleTests.AssertMatchesSpec(hp, state, workspace);
        var fullRows = workspace.FullRowsInLastEpoch;
        var general = new EpochWorkspace { FullRowPaths = false };
        SpecOracleTests.AssertMatchesSpec(hp, state, general);
        Assert.Equal(0, general.FullRowsInLastEpoch);
        return fullRows;
    }

    [Theory]
    [InlineData(1, 8, BondShape.Full, 65535)]             // vectors of exactly one lane group: rows before and after the diagonal are tails
    [InlineData(2, 40, BondShape.Full, 65535)]            // the bench's shape: weights without the diagonal, bonds on every uid
    [InlineData(3, 40, BondShape.WithoutDiagonal, 65535)] // the steady state
    [InlineData(4, 41, BondShape.Empty, 65535)]           // no bonds yet
    [InlineData(5, 40, BondShape.Full, 0)]                // no penalty: the weights for bonds are W unclipped
    [InlineData(6, 40, BondShape.WithoutDiagonal, 0)]
    [InlineData(7, 33, BondShape.ZeroCell, 65535)]        // a zero EMA cell: dropped from the row
    public void Full_rows_take_the_vectorised_path_and_match_the_spec(int seed, int n, BondShape bonds, int bondsPenalty)
    {
        var (hp, state) = Dense(seed, n, bonds, (ushort)bondsPenalty);
        // the rows with a stored permit: all of them but every seventh
        Assert.Equal(Enumerable.Range(0, n).Count(i => i % 7 != 6), FullRowsOf(hp, state));
    }

    [Fact]
    public void With_an_EMA_alpha_of_0_a_stored_bond_loses_one_unit_unless_it_is_65535()
    {
        // a bonds moving average of 10^6 makes α = 0, so B = b: the u16 bond x loads as ⌊x·2^32 / 65535⌋, just below
        // x / 65535 for 0 < x < 65535, and stores as ⌊B·65535⌋ = x − 1; 65535 loads as exactly 1 and stays
        var (hp, state) = Dense(13, 40, BondShape.Full, 65535, bondsMovingAverage: 1_000_000);
        Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 7 != 6), FullRowsOf(hp, state));
        var bonds = Epoch.Run(hp, state).Bonds;
        var checkedRows = 0;
        for (var i = 0; i < 40; i++)
        {
            if (bonds[i].Length == 0) continue;
            Assert.Equal(state.Bonds[i].Select(e => new StoredEntry(e.Uid, e.Value == 65535 ? e.Value : (ushort)(e.Value - 1))), bonds[i]);
            checkedRows++;
        }
        Assert.True(checkedRows > 30, $"only {checkedRows} rows stored bonds");
    }

    [Fact]
    public void The_owners_diagonal_weight_stays_on_the_vectorised_path()
    {
        var (hp, state) = Dense(8, 24, BondShape.WithoutDiagonal, 65535, owner: 3);
        Assert.Contains(3, Enumerable.Range(0, 24).Where(i => state.Weights[i].Any(e => e.Uid == i)));
        Assert.Equal(Enumerable.Range(0, 24).Count(i => i % 7 != 6), FullRowsOf(hp, state));
    }

    [Fact]
    public void Rows_with_bonds_out_of_order_or_missing_or_a_missing_weight_take_the_general_path()
    {
        var (hp, state) = Dense(9, 40, BondShape.OutOfOrder, 65535);
        Assert.Equal(0, FullRowsOf(hp, state));
        (hp, state) = Dense(15, 40, BondShape.Truncated, 65535);
        Assert.Equal(0, FullRowsOf(hp, state));
        (hp, state) = Dense(10, 40, BondShape.Full, 65535, missingCell: true);
        // the even rows miss a cell besides the diagonal; the odd ones stay full
        Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 7 != 6 && i % 2 == 1), FullRowsOf(hp, state));
    }

    [Fact]
    public void Rows_with_a_duplicate_a_masked_cell_or_a_missing_one_are_sorted_instead()
    {
        var (hp, state) = Dense(14, 40, BondShape.Full, 65535);
        // row 0 weights uid 9 twice and uid 10 not at all (as many cells as a full row; both cells on 9 count in its
        // sum, the later one votes); the owner (3), which keeps its diagonal, lacks uid 30; row 1 updated before uid 20
        // registered, so its cell on uid 20 is masked
        state.Weights[0] = [.. state.Weights[0].Where(e => e.Uid != 10), new StoredEntry(9, 1234)];
        state.Weights[3] = [.. state.Weights[3].Where(e => e.Uid != 30)];
        var registration = (ulong[])state.BlockAtRegistration.Clone();
        registration[20] = 50_000;
        var lastUpdate = (ulong[])state.LastUpdate.Clone();
        lastUpdate[1] = 40_000;
        state = state with { BlockAtRegistration = registration, LastUpdate = lastUpdate };
        Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 7 != 6) - 3, FullRowsOf(hp, state));
    }

    [Theory]
    [InlineData(32767, false, Era.Current)]  // the weights for bonds interpolate between W and its clip
    [InlineData(65535, true, Era.Current)]   // a recently registered column drops its bonds
    [InlineData(65535, false, Era.Before2025_10)] // the legacy era also sums unclipped ranks
    [InlineData(65535, false, Era.Current, 2_000_000)] // α = 1 − 2 = −1: the EMA's terms are no longer proportions
    public void Epochs_the_vectorised_path_does_not_cover_take_the_general_path(int bondsPenalty, bool recentColumn, Era era, ulong bondsMovingAverage = 900000)
    {
        var (hp, state) = Dense(11, 40, BondShape.Full, (ushort)bondsPenalty, recentColumn: recentColumn, era: era, bondsMovingAverage: bondsMovingAverage);
        Assert.Equal(0, FullRowsOf(hp, state));
    }

    [Fact]
    public void Subnets_narrower_than_one_vector_take_the_general_path()
    {
        var (hp, state) = Dense(12, 7, BondShape.Full, 65535);
        Assert.Equal(0, FullRowsOf(hp, state));
    }
}
