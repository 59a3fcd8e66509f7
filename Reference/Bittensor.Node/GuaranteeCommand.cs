using System.Globalization;
using Bittensor.Spec.Analysis;

namespace Bittensor.Node;

/// <summary><c>analysis guarantees</c>: the Yuma Consensus document's honest-utility results, recomputed with the
/// spec's exact epoch (<see cref="Guarantees"/>), as a table and optionally as PNG curves.</summary>
public static class GuaranteeCommand
{
    /// <summary>Honest utilities at which the curves are sampled: 0.50, 0.55, …, 1.00.</summary>
    public static readonly double[] CurveUtilities = Enumerable.Range(0, 11).Select(k => 0.5 + k * 0.05).ToArray();

    public static int Run(string[] options, TextWriter output, TextWriter error)
    {
        var setting = Guarantees.documentDefaults;
        string? plots = null;
        var kappa = false;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--yuma3":
                    setting = With(setting, yuma3: true);
                    break;
                case "--kappa":
                    kappa = true;
                    break;
                case "--seed" when i + 1 < options.Length:
                    if (!int.TryParse(options[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                    {
                        error.WriteLine($"bittensor-node: --seed takes a whole number, got '{options[i]}'");
                        return Cli.UsageError;
                    }
                    setting = With(setting, seed: seed);
                    break;
                case "--plots" when i + 1 < options.Length:
                    plots = options[++i];
                    if (!Directory.Exists(plots))
                    {
                        error.WriteLine($"bittensor-node: --plots needs an existing directory, '{plots}' is not one");
                        return Cli.UsageError;
                    }
                    break;
                default:
                    error.WriteLine($"bittensor-node: 'analysis guarantees' takes --yuma3, --kappa, --seed N and --plots DIR, got '{options[i]}'");
                    return Cli.UsageError;
            }
        }
        var bonds = setting.Yuma3 ? "Yuma 3 bonds" : "original Yuma bonds";
        if (kappa)
        {
            if (plots is not null) { error.WriteLine("bittensor-node: --kappa prints a table; --plots draws the three sweeps, so give one or the other"); return Cli.UsageError; }
            return KappaTable(setting, bonds, output);
        }
        output.WriteLine($"Honest utility needed to keep {Percent(setting.HonestStake)} honest stake ({setting.Uids} uids, " +
                         $"{setting.Validators} validators, {bonds}, seed {setting.Seed}; others at sigma_W 0.4, beta 1, xi 0.5):");
        output.WriteLine();
        output.WriteLine("| varied | value | document | spec epoch | spec - document |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var row in Guarantees.reproduce(setting))
        {
            var needed = row.Needed is { } n ? Percent(n.Value) : "not retained";
            var difference = row.Needed is { } d ? $"{(d.Value - row.DocumentNeeds) * 100:+0;-0;0} points" : "-";
            output.WriteLine($"| {row.Varied} | {row.Value.ToString(CultureInfo.InvariantCulture)} | {Percent(row.DocumentNeeds)} | {needed} | {difference} |");
        }
        if (plots is not null)
        {
            foreach (var (name, sweep) in Sweeps(setting))
            {
                var path = Path.Combine(plots, $"guarantees-{name}{(setting.Yuma3 ? "-yuma3" : "")}.png");
                Plot.writePng(path, Curves(setting, sweep));
                output.WriteLine($"wrote {path}");
            }
        }
        return 0;
    }

    /// <summary>The κ map: one row per κ, one column per honest stake, each cell the honest utility needed.</summary>
    private static int KappaTable(Guarantees.Setting setting, string bonds, TextWriter output)
    {
        var cells = Guarantees.kappaMap(setting).ToArray();
        var stakes = cells.Select(c => c.HonestStake).Distinct().ToArray();
        output.WriteLine($"Honest utility needed against kappa and honest stake ({setting.Uids} uids, {setting.Validators} validators, " +
                         $"{bonds}, seed {setting.Seed}; sigma_W {setting.WeightSpread.ToString(CultureInfo.InvariantCulture)}, " +
                         $"beta {setting.BondsPenalty.ToString(CultureInfo.InvariantCulture)}, xi {setting.ValidatorShare.ToString(CultureInfo.InvariantCulture)}):");
        output.WriteLine();
        output.WriteLine("| kappa | " + string.Join(" | ", stakes.Select(s => $"S_H = {Percent(s)}")) + " |");
        output.WriteLine("| --- |" + string.Concat(stakes.Select(_ => " ---: |")));
        foreach (var row in cells.GroupBy(c => c.Kappa))
            output.WriteLine($"| {row.Key.ToString(CultureInfo.InvariantCulture)} | " +
                             string.Join(" | ", row.Select(c => c.Needed is { } n ? Percent(n.Value) : "not retained")) + " |");
        return 0;
    }

    private static IEnumerable<(string Name, Guarantees.Setting[] Settings)> Sweeps(Guarantees.Setting setting) =>
        Guarantees.documentSweeps(setting)
            .GroupBy(sweep => sweep.Item1)
            .Select(group => (group.Key switch
            {
                var k when k.StartsWith("weight") => "weight-spread",
                var k when k.StartsWith("bonds") => "bonds-penalty",
                _ => "validator-share",
            }, group.Select(sweep => sweep.Item4).ToArray()));

    /// <summary>One curve per setting: worst-case honest emission against honest utility, with the stake to keep as
    /// the red reference line; x from 0.5 to 1, y from 0.2 to 1, grid every 0.1.</summary>
    private static Plot.Chart Curves(Guarantees.Setting baseSetting, Guarantees.Setting[] settings) =>
        new(640, 480, new(0.5, 1.0), new(0.2, 1.0), new(0.1, 0.1),
            Microsoft.FSharp.Collections.ListModule.OfSeq(settings.Select(s =>
                CurveUtilities.Select(u => new Tuple<double, double>(u, Guarantees.worstCaseHonestEmission(s, u))).ToArray())),
            Microsoft.FSharp.Collections.ListModule.OfSeq(new[] { baseSetting.HonestStake }));

    private static Guarantees.Setting With(Guarantees.Setting s, bool? yuma3 = null, int? seed = null) =>
        new(s.Uids, s.Validators, s.HonestStake, s.StakeSpread, s.WeightSpread, s.BondsPenalty, s.ValidatorShare, s.Kappa,
            yuma3 ?? s.Yuma3, seed ?? s.Seed);

    private static string Percent(double share) => $"{share * 100:0}%";
}
