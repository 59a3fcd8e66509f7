using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>
/// The paths for full rows (every column weighted once, perhaps without the diagonal): the masking's placement without
/// a sort, the consensus's histograms without a gather, and the bonds pass's vectorised walk (bonds on every column or
/// none). Against the spec and the general paths, on dense subnets wide enough for whole vectors and their tails, with
/// the shapes that must leave them (a duplicate, a masked or missing cell, bonds out of order or missing, a recently
/// registered column, a penalty between 0 and 1, a negative EMA α, the legacy era, a minority outside [0, σ)).
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
        /// <summary>Every uid, the bond on uid 5 zero (or on each of Dense's zero columns), and no weight on it:
        /// B_i5 = 0 leaves the EMA row.</summary>
        ZeroCell,
        /// <summary>Uids 0 … n − 3 in order: neither full nor full but the diagonal.</summary>
        Truncated,
    }

    private static (Hyperparameters, EpochState) Dense(int seed, int n, BondShape bonds, ushort bondsPenalty,
        bool missingCell = false, bool recentColumn = false, Era era = Era.Current, int? owner = 3, ulong bondsMovingAverage = 900000,
        Func<int, int, ushort>? weight = null, Func<int, bool>? permit = null, ulong? equalStake = null, int[]? zeroColumns = null)
    {
        zeroColumns ??= bonds == BondShape.ZeroCell ? [5] : [];
        permit ??= i => i % 7 != 6; // some rows without a stored permit: no weights
        var rng = new Random(seed);
        const ulong block = 100_000;
        StoredEntry[] WeightRow(int i)
        {
            // shuffled, as submitted; zero weights here and there; the cell on uid 5 zero when its bond is
            var row = Enumerable.Range(0, n)
                .Where(j => !(missingCell && i % 2 == 0 && j == n - 1))
                .Select(j => new StoredEntry(j, weight?.Invoke(i, j) ?? (ushort)(zeroColumns.Contains(j) || rng.Next(10) == 0 ? 0 : rng.Next(1, 65536))))
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
            foreach (var j in zeroColumns) if (j < row.Length && row[j].Uid == j) row[j] = new StoredEntry(j, 0);
            return row;
        }
        var hp = new Hyperparameters(era, 5000, 360, 13889, 32767, bondsPenalty, bondsMovingAverage, (ushort)n, 0, 0, true, false, 45875, 58982, 1000, false);
        var registration = new ulong[n];
        if (recentColumn) registration[n - 2] = block - 10; // after the last tempo: its bonds do not load
        var state = new EpochState(n, block, Enumerable.Repeat(block - 1, n).ToArray(), registration,
            Enumerable.Range(0, n).Select(_ => equalStake ?? (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000)).ToArray(), new ulong[n], owner,
            Enumerable.Range(0, n).Select(permit).ToArray(),
            Enumerable.Range(0, n).Select(WeightRow).ToArray(), Enumerable.Range(0, n).Select(BondRow).ToArray(),
            Enumerable.Repeat(ulong.MaxValue, n).ToArray(), block - 360, 1_000_000_000);
        return (hp, state);
    }

    /// <summary>The epoch matches the spec, and the general paths, whichever paths it takes, down to the consensus's
    /// I32F32 bits (which the output rounds to u16); returns how many rows took the bonds pass's full-row walk and
    /// whether the consensus took its full-row path.</summary>
    private static (int BondRows, bool Consensus) PathsOf(Hyperparameters hp, EpochState state)
    {
        var workspace = new EpochWorkspace { ParallelThreshold = 0 };
        SpecOracleTests.AssertMatchesSpec(hp, state, workspace);
        var general = new EpochWorkspace { FullRowPaths = false };
        SpecOracleTests.AssertMatchesSpec(hp, state, general);
        Assert.Equal(0, general.FullRowsInLastEpoch);
        Assert.False(general.FullRowConsensusInLastEpoch);
        Assert.Equal(general.LastConsensus, workspace.LastConsensus);
        return (workspace.FullRowsInLastEpoch, workspace.FullRowConsensusInLastEpoch);
    }

    /// <summary>The rows with a stored permit in <see cref="Dense"/>: all of them but every seventh.</summary>
    private static int Permitted(int n) => Enumerable.Range(0, n).Count(i => i % 7 != 6);

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
        Assert.Equal((Permitted(n), true), PathsOf(hp, state));
    }

    [Fact]
    public void With_an_EMA_alpha_of_0_a_stored_bond_loses_one_unit_unless_it_is_65535()
    {
        // a bonds moving average of 10^6 makes α = 0, so B = b: the u16 bond x loads as ⌊x·2^32 / 65535⌋, just below
        // x / 65535 for 0 < x < 65535, and stores as ⌊B·65535⌋ = x − 1; 65535 loads as exactly 1 and stays
        var (hp, state) = Dense(13, 40, BondShape.Full, 65535, bondsMovingAverage: 1_000_000);
        Assert.Equal((Permitted(40), true), PathsOf(hp, state));
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
        Assert.Equal((Permitted(24), true), PathsOf(hp, state));
    }

    [Fact]
    public void Rows_with_bonds_out_of_order_or_missing_or_a_missing_weight_take_the_general_path()
    {
        // the consensus reads only the weights, which stay full
        var (hp, state) = Dense(9, 40, BondShape.OutOfOrder, 65535);
        Assert.Equal((0, true), PathsOf(hp, state));
        (hp, state) = Dense(15, 40, BondShape.Truncated, 65535);
        Assert.Equal((0, true), PathsOf(hp, state));
        (hp, state) = Dense(10, 40, BondShape.Full, 65535, missingCell: true);
        // the even rows miss a cell besides the diagonal; the odd ones stay full; one voter's row that is not full
        // sends the whole consensus to the general path
        Assert.Equal((Enumerable.Range(0, 40).Count(i => i % 7 != 6 && i % 2 == 1), false), PathsOf(hp, state));
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
        Assert.Equal((Permitted(40) - 3, false), PathsOf(hp, state));
    }

    [Theory]
    [InlineData(32767, false, Era.Current)]  // the weights for bonds interpolate between W and its clip
    [InlineData(65535, true, Era.Current)]   // a recently registered column drops its bonds
    [InlineData(65535, false, Era.Before2025_10)] // the legacy era also sums unclipped ranks
    [InlineData(65535, false, Era.Current, 2_000_000)] // α = 1 − 2 = −1: the EMA's terms are no longer proportions
    public void Epochs_the_vectorised_path_does_not_cover_take_the_general_path(int bondsPenalty, bool recentColumn, Era era, ulong bondsMovingAverage = 900000)
    {
        var (hp, state) = Dense(11, 40, BondShape.Full, (ushort)bondsPenalty, recentColumn: recentColumn, era: era, bondsMovingAverage: bondsMovingAverage);
        Assert.Equal((0, true), PathsOf(hp, state));
    }

    [Fact]
    public void Subnets_narrower_than_one_vector_take_the_general_bonds_path()
    {
        // the consensus has no such limit: its vector loops are left to their scalar tails
        var (hp, state) = Dense(12, 7, BondShape.Full, 65535);
        Assert.Equal((0, true), PathsOf(hp, state));
    }

    [Theory]
    [InlineData(0)]     // minority = σ: no column's stake exceeds it, the vote is the largest
    [InlineData(65535)] // minority = σ − 1 < 0: σ is just below 1 after truncation
    public void A_kappa_that_leaves_the_minority_outside_0_to_sigma_takes_the_general_consensus(int kappa)
    {
        var (hp, state) = Dense(16, 40, BondShape.Full, 65535);
        Assert.Equal((Permitted(40), false), PathsOf(hp with { Kappa = (ushort)kappa }, state));
    }

    [Fact]
    public void A_minority_of_0_takes_the_full_row_consensus_and_votes_the_smallest_score()
    {
        // 32 voters of equal stake: each normalises to exactly 2^27, σ = 2^32, and κ = 1 leaves a minority of 0
        var (hp, state) = Dense(17, 40, BondShape.Full, 65535, permit: i => i < 32, equalStake: 1_000_000_000,
            weight: (i, j) => (ushort)(1 + (i * 7919 + j * 104729) % 65535));
        hp = hp with { Kappa = 65535 };
        Assert.Equal((32, true), PathsOf(hp, state));
        // W(≤ s) > 0 from the smallest vote on: each column's vote is its smallest, a missing diagonal's 0 included
        long Vote(int v, int j)
        {
            var kept = state.Weights[v].Where(e => e.Uid != v || v == state.OwnerUid).ToArray();
            var cell = kept.Where(e => e.Uid == j).Select(e => (long)e.Value).DefaultIfEmpty(0).Single();
            return (cell << 32) / kept.Sum(e => (long)e.Value);
        }
        var workspace = new EpochWorkspace();
        Epoch.Run(hp, state, workspace);
        Assert.Equal(Enumerable.Range(0, 40).Select(j => Enumerable.Range(0, 32).Min(v => Vote(v, j))), workspace.LastConsensus);
        Assert.Contains(workspace.LastConsensus, c => c > 0);
    }

    [Fact]
    public void Identical_weight_rows_tie_every_vote_and_match_the_spec()
    {
        var rows = new Random(18);
        var shared = Enumerable.Range(0, 40).Select(_ => (ushort)rows.Next(0, 65536)).ToArray();
        var (hp, state) = Dense(18, 40, BondShape.WithoutDiagonal, 65535, weight: (_, j) => shared[j]);
        Assert.Equal((Permitted(40), true), PathsOf(hp, state));
    }

    [Fact]
    public void Votes_below_128_are_found_in_their_exact_buckets()
    {
        // a row summing past 2^25 whole units normalises a weight of 1 to less than 2^32 / 2^25 = 128: columns 0 to 9
        // get weights of 1 (110 or 111 once normalised), the rest 65535
        const int n = 600;
        var (hp, state) = Dense(19, n, BondShape.Empty, 65535, weight: (i, j) => j < 10 ? (ushort)1 : (ushort)65535);
        Assert.Equal((Permitted(n), true), PathsOf(hp, state));
        var workspace = new EpochWorkspace();
        Epoch.Run(hp, state, workspace);
        Assert.All(workspace.LastConsensus[..10], c => Assert.InRange(c, 1, 127));
        Assert.All(workspace.LastConsensus[10..], c => Assert.InRange(c, 128, 1L << 32));
    }

    [Fact]
    public void Histogram_buckets_are_monotone_and_each_holds_exactly_its_range()
    {
        Assert.Equal(1728, Epoch.HistogramBucket(1L << 32));
        Assert.Equal(1736, Epoch.HistogramBuckets);
        // every bucket's range starts where the previous one ends, and its scores land in it
        for (var b = 0; b <= 1728; b++)
        {
            var low = Epoch.HistogramBucketLow(b);
            var width = 1L << Epoch.HistogramBucketShift(b);
            Assert.Equal(b, Epoch.HistogramBucket(low));
            Assert.Equal(b, Epoch.HistogramBucket(low + width - 1));
            if (b < 1728) Assert.Equal(low + width, Epoch.HistogramBucketLow(b + 1));
            Assert.Equal(b < 128, width == 1); // exact buckets exactly below 128
            if (b >= 128) Assert.InRange(low / width, 64, 127); // a bucket is 1/64 of its octave [2^e, 2^(e+1)) wide
        }
        Assert.Equal(0, Epoch.HistogramBucketLow(0));
        var rng = new Random(20);
        var scores = Enumerable.Range(0, 10_000).Select(_ => rng.NextInt64(0, (1L << 32) + 1)).Order().ToArray();
        for (var k = 1; k < scores.Length; k++) Assert.True(Epoch.HistogramBucket(scores[k - 1]) <= Epoch.HistogramBucket(scores[k]));
    }

    [Theory]
    [InlineData(1)]              // r = 2^48: every weight is its own quotient's numerator
    [InlineData(3)]              // every multiple of 3 divides exactly, and (w·r) >> 16 falls one short of it
    [InlineData(641)]            // 24888 weights fall one short
    [InlineData(65535)]          // one full weight: the quotient is 2^32 exactly
    [InlineData(65536)]
    [InlineData(3 * 65535)]
    [InlineData(1_000_003)]      // a prime above every weight: 9440 weights fall one short
    [InlineData(int.MaxValue)]   // the largest sum the masking accepts
    public void A_normalised_run_equals_the_division_for_every_weight(long sum)
    {
        // all 65536 weights (more than the masking sees: there, no weight exceeds its row's sum), in runs of 37 (two
        // vectors of 16, then a scalar tail of 5), from column 5 on; again with the runs shifted by 20, and the last 16
        // as one vector, so that every weight is in a vector once and in a scalar tail once
        var weights = Enumerable.Range(0, 65536).Select(w => (long)w).ToArray();
        void Check(int from, int length)
        {
            var run = weights.AsSpan(from, Math.Min(length, weights.Length - from));
            var col = new int[run.Length];
            var val = new long[run.Length];
            Epoch.NormalizedRun(run, sum, 5 + from, col, val);
            for (var k = 0; k < run.Length; k++)
            {
                Assert.Equal(5 + from + k, col[k]);
                Assert.Equal((run[k] << 32) / sum, val[k]);
            }
        }
        for (var from = 0; from < weights.Length; from += 37) Check(from, 37);
        Check(0, 20);
        for (var from = 20; from < weights.Length; from += 37) Check(from, 37);
        Check(weights.Length - 16, 16);
    }

    [Fact]
    public void A_row_of_zero_weights_normalises_to_zeros()
    {
        var col = new int[20];
        var val = Enumerable.Repeat(-1L, 20).ToArray();
        Epoch.NormalizedRun(new long[20], 0, 0, col, val);
        Assert.All(val, v => Assert.Equal(0, v));
        Assert.Equal(Enumerable.Range(0, 20), col);
    }

    [Fact]
    public void Dividends_eight_at_a_time_equal_the_cell_by_cell_sum()
    {
        // columns whose totals run from 1 to a saturated total, bonds from 0 to the total (a share of 1) and a bond of 1
        // (B = 2^32, which sends its group of eight to the cell-by-cell sum), incentives from 0 to 1
        var rng = new Random(21);
        const int n = 4003;
        var totals = new long[n];
        var bonds = new long[n];
        var incentive = new long[n];
        for (var j = 0; j < n; j++)
        {
            totals[j] = (j % 5) switch
            {
                0 => 1 + j % 3,                                  // T = 1, 2, 3
                1 => rng.NextInt64(1, 1L << 32),
                2 => rng.NextInt64(1L << 32, 1L << 45),          // 4096 validators' bonds of up to 1 each
                3 => long.MaxValue,                              // saturated
                _ => rng.NextInt64(1, 1L << 20),
            };
            bonds[j] = (j % 7) switch
            {
                0 => Math.Min(totals[j], 1L << 32),              // the whole column, or a bond of 1
                1 => 1,
                _ => rng.NextInt64(1, Math.Min(totals[j], 1L << 32) + 1),
            };
            incentive[j] = (j % 11) switch { 0 => 0, 1 => 1L << 32, _ => rng.NextInt64(0, 1L << 32) };
        }
        Assert.Contains(bonds, b => b == 1L << 32);
        var reciprocals = Epoch.BondsPass.ColumnReciprocals(totals);
        // without AVX-512 there are no reciprocals, and the dividends loop sums cell by cell
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, reciprocals is not null);
        if (reciprocals is null) return;
        for (var from = 0; from < 40; from += 13)
        {
            var expected = Enumerable.Range(from, n - from).Sum(j => Epoch.BondsPass.Dividend(bonds[j], totals[j], incentive[j]));
            Assert.Equal(expected, Epoch.BondsPass.DividendRun(bonds.AsSpan(from), from, reciprocals, totals, incentive));
        }
        // each cell alone, so that a difference cannot cancel in the sum
        for (var j = 0; j + 8 <= n; j += 8)
            for (var l = 0; l < 8; l++)
            {
                var single = new long[8];
                single[l] = bonds[j + l];
                Assert.Equal(Epoch.BondsPass.Dividend(bonds[j + l], totals[j + l], incentive[j + l]),
                    Epoch.BondsPass.DividendRun(single, j, reciprocals, totals, incentive));
            }
    }

    [Theory]
    [InlineData(5, 13)] // columns 5 and 13 share a vector lane in every row past 13: the lane sees two zero cells
    [InlineData(32)]    // the last column, in the scalar tail of the rows whose run after the diagonal is not whole vectors
    public void Zero_EMA_cells_in_one_lane_or_only_in_the_tail_leave_the_row(params int[] zeroColumns)
    {
        var (hp, state) = Dense(22, 33, BondShape.ZeroCell, 65535, zeroColumns: zeroColumns);
        Assert.Equal((Permitted(33), true), PathsOf(hp, state));
        var bonds = Epoch.Run(hp, state).Bonds;
        Assert.All(bonds.Where(row => row.Length > 0), row => Assert.DoesNotContain(row, e => zeroColumns.Contains(e.Uid)));
    }

    [Fact]
    public void Full_rows_whose_validators_lose_their_permits_store_no_bonds()
    {
        // 35 validators with stored permits; 20 new permits by stake (two of them to uids without a stored permit) and
        // the owner's: 16 full rows walk the vectors and return no bonds
        var (hp, state) = Dense(23, 40, BondShape.Full, 65535);
        hp = hp with { MaxAllowedValidators = 20 };
        Assert.Equal((Permitted(40), true), PathsOf(hp, state));
        var output = Epoch.Run(hp, state);
        Assert.Equal(21, output.NewValidatorPermits.Count(p => p));
        Assert.Equal(16, Enumerable.Range(0, 40).Count(i => state.ValidatorPermits[i] && !output.NewValidatorPermits[i]));
        for (var i = 0; i < 40; i++) Assert.Equal(output.NewValidatorPermits[i], output.Bonds[i].Length > 0);
    }

    [Fact]
    public void A_bonds_array_shorter_than_n_leaves_the_last_rows_without_bonds()
    {
        var (hp, state) = Dense(24, 40, BondShape.Full, 65535);
        state = state with { Bonds = state.Bonds[..30] };
        Assert.Equal((Permitted(40), true), PathsOf(hp, state));
    }
}
