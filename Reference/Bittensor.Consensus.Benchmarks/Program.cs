using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Bittensor.Consensus.Benchmarks;

// `consensus-bench bench [--quick]`: the table of docs/performance.md, measured in one run.
// `consensus-bench bdn [BenchmarkDotNet arguments]`: the same workloads under BenchmarkDotNet.
// `consensus-bench profile N VALIDATORS DENSITY% [SECONDS]`: one workload run repeatedly (for `perf record`), with
// its median time, each pass's median and fastest, and the floor's.
const string Usage = "Commands: bench [--quick], bdn [BenchmarkDotNet arguments], profile N VALIDATORS DENSITY% [SECONDS]";
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkRunner.Run<EpochBenchmarks>(args: args[1..]);
    return 0;
}
if (args.Length > 0 && args[0] == "profile")
{
    if (args.Length is < 4 or > 5 || !int.TryParse(args[1], out var n) || !int.TryParse(args[2], out var validators)
        || !int.TryParse(args[3].TrimEnd('%'), out var density) || n < 1 || validators < 1 || validators > n || density is < 1 or > 100)
    {
        Console.Error.WriteLine($"consensus-bench: profile needs N ≥ 1, 1 ≤ VALIDATORS ≤ N and 1 ≤ DENSITY ≤ 100. {Usage}");
        return 2;
    }
    var seconds = 10.0;
    if (args.Length == 5 && (!double.TryParse(args[4], CultureInfo.InvariantCulture, out seconds) || seconds is <= 0 or > 3600))
    {
        Console.Error.WriteLine($"consensus-bench: profile's SECONDS must be a number in (0, 3600], not '{args[4]}'. {Usage}");
        return 2;
    }
    return BenchTable.Profile(new Workload(n, validators, density), seconds, Console.Out);
}
if (args.Length > 0 && args[0] != "bench")
{
    Console.Error.WriteLine($"consensus-bench: unknown command '{args[0]}'. {Usage}");
    return 2;
}
var quick = args.Contains("--quick");
return BenchTable.Run(quick, Console.Out);

namespace Bittensor.Consensus.Benchmarks
{
    public static class BenchTable
    {
        /// <summary>Enough epochs for every pass's per-range bodies to pass 30 calls (8 ranges per pass on 2 cores).</summary>
        private const int ReferenceWarmUpRuns = 8;

        /// <summary>Median wall time of repeated runs and the bytes the last one allocated; see <see cref="Runs"/>.</summary>
        private static (double Milliseconds, long Allocated) Measure(Func<object> action, int minRuns, double budgetMs, int warmUpRuns = 1)
        {
            var (times, allocated, _) = Runs(action, minRuns, budgetMs, warmUpRuns, maxRuns: 50);
            return (times[times.Count / 2], allocated);
        }

        /// <summary>Wall times of repeated runs, sorted (at least <paramref name="minRuns"/>, more while under
        /// <paramref name="budgetMs"/> and <paramref name="maxRuns"/>), the bytes the last run allocated and the garbage
        /// collections of generations 0, 1 and 2 during the timed runs; after a
        /// warm-up long enough for the JIT's tiering to reach optimised code: 1.5 seconds of runs and at least
        /// <paramref name="warmUpRuns"/> (the epoch's passes call their per-range bodies a few times per epoch, and a
        /// body is recompiled with full optimisation after 30 calls).</summary>
        private static (List<double> Times, long Allocated, int[] Collections) Runs(Func<object> action, int minRuns, double budgetMs, int warmUpRuns, int maxRuns)
        {
            var warmUp = Stopwatch.StartNew();
            for (var run = 0; run < warmUpRuns || warmUp.Elapsed.TotalMilliseconds < 1500; run++) action();
            var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
            var times = new List<double>();
            long allocated = 0;
            var total = Stopwatch.StartNew();
            while (times.Count < minRuns || (total.Elapsed.TotalMilliseconds < budgetMs && times.Count < maxRuns))
            {
                var before = GC.GetTotalAllocatedBytes(true);
                var watch = Stopwatch.StartNew();
                GC.KeepAlive(action());
                watch.Stop();
                allocated = GC.GetTotalAllocatedBytes(true) - before;
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            return (times, allocated, Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]).ToArray());
        }

        /// <summary>Runs one workload for about <paramref name="seconds"/> and prints the fastest and median epoch, the
        /// garbage collections per epoch, the floor, and each pass's median.</summary>
        public static int Profile(Workload workload, double seconds, TextWriter output)
        {
            var passes = new List<EpochPassTimes>();
            var (times, _, collections) = Runs(() => { var output = workload.RunReference(); passes.Add(workload.Workspace.LastPassTimes); return output; },
                3, seconds * 1000, ReferenceWarmUpRuns, int.MaxValue);
            passes = passes[^times.Count..]; // the timed runs
            string Median(Func<EpochPassTimes, TimeSpan> pass) =>
                passes.Select(p => pass(p).TotalMilliseconds).Order().ElementAt(passes.Count / 2).ToString("F0", CultureInfo.InvariantCulture);
            var perEpoch = collections.Select(c => (c / (double)times.Count).ToString("F1", CultureInfo.InvariantCulture));
            var (floorMs, _) = Measure(() => workload.RunFloor(), 5, 200);
            var median = times[times.Count / 2];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{workload.Name}: {times.Count} epochs, fastest {times[0]:F2} ms, median {median:F2} ms; floor {floorMs:F2} ms; median/floor {median / Math.Max(floorMs, 1e-6):F1}x; collections per epoch (gen 0, 1, 2): {string.Join(", ", perEpoch)}"));
            output.WriteLine($"  median per pass (ms): weights {Median(p => p.Weights)}, consensus {Median(p => p.Consensus)}, bonds and dividends {Median(p => p.Bonds)}, whole epoch {Median(p => p.Total)}");
            // the fastest of each pass: on a shared machine, less disturbed by the neighbours than the median (for A/B runs)
            string Fastest(Func<EpochPassTimes, TimeSpan> pass) => passes.Min(p => pass(p).TotalMilliseconds).ToString("F1", CultureInfo.InvariantCulture);
            output.WriteLine($"  fastest per pass (ms): weights {Fastest(p => p.Weights)}, consensus {Fastest(p => p.Consensus)}, bonds and dividends {Fastest(p => p.Bonds)}, whole epoch {Fastest(p => p.Total)}");
            return 0;
        }

        public static int Run(bool quick, TextWriter output)
        {
            var sizes = quick ? new[] { 64, 256, 1024 } : new[] { 64, 256, 1024, 4096 };
            var rows = new List<string[]> { new[] { "workload", "weights", "Reference ms", "Spec ms", "Spec/Ref", "Ref/floor", "Ref allocated" } };
            var points = new List<(double Entries, double Ms)>();
            foreach (var n in sizes)
            foreach (var density in new[] { 10, 100 })
            foreach (var validators in new[] { Math.Min(64, n), n }.Distinct())
            {
                var workload = new Workload(n, validators, density);
                // the previous workloads' garbage (the spec's runs leave gigabytes) collected now, not during this one's runs
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var (refMs, refAlloc) = Measure(() => workload.RunReference(), 15, 1000, ReferenceWarmUpRuns); // at least 15: single large epochs vary by ±30 % on a shared machine
                var (floorMs, _) = Measure(() => workload.RunFloor(), 5, 200);
                var specRuns = workload.WeightEntries > 2_000_000 ? 1 : 3;
                var (specMs, _) = Measure(() => workload.RunSpec(), specRuns, 0);
                points.Add((workload.WeightEntries, refMs));
                rows.Add([
                    workload.Name, workload.WeightEntries.ToString("N0", CultureInfo.InvariantCulture), refMs.ToString("F2", CultureInfo.InvariantCulture),
                    specMs.ToString("F1", CultureInfo.InvariantCulture), (specMs / refMs).ToString("F1", CultureInfo.InvariantCulture) + "x",
                    (refMs / Math.Max(floorMs, 1e-6)).ToString("F1", CultureInfo.InvariantCulture) + "x",
                    (refAlloc / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
                ]);
                output.WriteLine($"  measured {workload.Name}");
            }
            var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
            output.WriteLine();
            foreach (var row in rows)
                output.WriteLine("| " + string.Join(" | ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |");
            // least-squares slope of log(time) against log(weight entries), over workloads with at least 10 000 entries
            var fit = points.Where(p => p.Entries >= 10_000).Select(p => (X: Math.Log(p.Entries), Y: Math.Log(p.Ms))).ToList();
            var meanX = fit.Average(p => p.X);
            var meanY = fit.Average(p => p.Y);
            var slope = fit.Sum(p => (p.X - meanX) * (p.Y - meanY)) / fit.Sum(p => (p.X - meanX) * (p.X - meanX));
            output.WriteLine();
            output.WriteLine($"Reference time grows as (weight entries)^{slope.ToString("F2", CultureInfo.InvariantCulture)} (least squares over workloads with ≥ 10 000 entries)");
            return 0;
        }
    }

    /// <summary>The same workloads under BenchmarkDotNet: Reference, Spec (up to n = 1024) and the floor pass.</summary>
    [MemoryDiagnoser]
    public class EpochBenchmarks
    {
        [Params(64, 256, 1024, 4096)] public int N;
        [Params(10, 100)] public int DensityPercent;
        [Params(false, true)] public bool AllValidators;
        private Workload _workload = null!;

        [GlobalSetup] public void Setup() => _workload = new Workload(N, AllValidators ? N : Math.Min(64, N), DensityPercent);
        [Benchmark(Baseline = true)] public long Floor() => _workload.RunFloor();
        [Benchmark] public object Reference() => _workload.RunReference();
        [Benchmark] public object? Spec() => N <= 1024 ? _workload.RunSpec() : null;
    }
}
