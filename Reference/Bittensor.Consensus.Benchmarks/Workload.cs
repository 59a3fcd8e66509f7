using Microsoft.FSharp.Core;
using SpecYuma = Bittensor.Spec.Yuma;

namespace Bittensor.Consensus.Benchmarks;

/// <summary>One benchmark input: n uids, the given number of validators each weighting a share of all uids (in a
/// shuffled, submission-like order) and holding bonds on the same uids (in uid order, as stored); miners hold no stake.
/// Deterministic.</summary>
public sealed class Workload
{
    public int N { get; }
    public int Validators { get; }
    public int DensityPercent { get; }
    public long WeightEntries { get; }
    public Hyperparameters ReferenceHyperparameters { get; }
    public EpochState ReferenceState { get; }
    public SpecYuma.Hyperparameters SpecHyperparameters { get; }
    public SpecYuma.EpochState SpecState { get; }
    private readonly int[] _floorColumns;
    private readonly long[] _floorValues;
    /// <summary>The workspace <see cref="RunReference"/> runs in.</summary>
    public EpochWorkspace Workspace { get; } = new();

    public Workload(int n, int validators, int densityPercent, int seed = 42)
    {
        N = n;
        Validators = validators;
        DensityPercent = densityPercent;
        var rng = new Random(seed);
        var perRow = Math.Max(1, n * densityPercent / 100);
        var weights = new StoredEntry[n][];
        var bonds = new StoredEntry[n][];
        for (var i = 0; i < n; i++)
        {
            if (i >= validators) { weights[i] = []; bonds[i] = []; continue; }
            var targets = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(perRow).ToArray();
            weights[i] = targets.Select(j => new StoredEntry(j, (ushort)rng.Next(1, 65536))).ToArray();
            // stored bonds are in uid order: the chain stores (and Epoch.Run returns) the EMA matrix's rows so
            bonds[i] = targets.Select(j => new StoredEntry(j, (ushort)rng.Next(0, 65536))).OrderBy(e => e.Uid).ToArray();
        }
        WeightEntries = weights.Sum(r => (long)r.Length);
        var block = 100_000UL;
        var stake = Enumerable.Range(0, n).Select(i => i < validators ? (ulong)rng.NextInt64(1_000_000_000, 1_000_000_000_000) : 0UL).ToArray();
        var lastUpdate = Enumerable.Repeat(block - 10, n).ToArray();
        var registered = new ulong[n];
        var permits = Enumerable.Range(0, n).Select(i => i < validators).ToArray();
        var commits = Enumerable.Repeat(ulong.MaxValue, n).ToArray();
        ReferenceHyperparameters = new Hyperparameters(Era.Current, 5000, 360, 13889, 32767, 65535, 900000, (ushort)Math.Min(validators, 65535), 0, 0, true, false, 45875, 58982, 1000, false);
        ReferenceState = new EpochState(n, block, lastUpdate, registered, stake, new ulong[n], null, permits, weights, bonds, commits, block - 360, 1_000_000_000);
        SpecHyperparameters = new SpecYuma.Hyperparameters(SpecYuma.Era.Current, 5000, 360, 13889, 32767, 65535, 900000, (ushort)Math.Min(validators, 65535), 0, 0, true, false, 45875, 58982, 1000, false);
        SpecYuma.StoredEntry[][] ToSpec(StoredEntry[][] rows) => rows.Select(r => r.Select(e => new SpecYuma.StoredEntry(e.Uid, e.Value)).ToArray()).ToArray();
        SpecState = new SpecYuma.EpochState(n, block, lastUpdate, registered, stake, new ulong[n], FSharpOption<int>.None, permits, ToSpec(weights), ToSpec(bonds), commits, block - 360, 1_000_000_000);
        _floorColumns = weights.SelectMany(row => row.Select(e => e.Uid)).ToArray();
        _floorValues = weights.SelectMany(row => row.Select(e => (long)e.Value << 32)).ToArray();
    }

    public string Name => $"n={N}, {DensityPercent}% dense, {(Validators == N ? "all" : Validators.ToString())} validators";

    /// <summary>One Reference epoch in this workload's workspace (its buffers are reused from the previous run).</summary>
    public EpochOutput RunReference() => Epoch.Run(ReferenceHyperparameters, ReferenceState, Workspace);

    public SpecYuma.EpochOutput RunSpec() => SpecYuma.Epoch.run(SpecHyperparameters, SpecState);

    /// <summary>The floor: one pass that reads every weight entry once and sums it.</summary>
    public long RunFloor()
    {
        long sum = 0;
        var values = _floorValues;
        var cols = _floorColumns;
        for (var k = 0; k < values.Length; k++) sum += values[k] + cols[k];
        return sum;
    }
}
