using System.Text;
using Bittensor.Spec.Yuma;

namespace Bittensor.Node;

/// <summary>Renders an epoch's results as a fixed-width text table. All numbers are formatted with integer
/// arithmetic: u16 proportions as value / 65535 and rao amounts as alpha (10^9 rao), never through floating point.</summary>
public static class EpochTable
{
    public const ulong RaoPerAlpha = 1_000_000_000UL;

    /// <summary>A stored u16 proportion as a decimal with four places, rounded half up: 32767 → "0.5000".</summary>
    public static string Proportion(ushort value)
    {
        var tenThousandths = ((ulong)value * 10_000UL + 65_535UL / 2UL) / 65_535UL;
        return $"{tenThousandths / 10_000UL}.{tenThousandths % 10_000UL:D4}";
    }

    /// <summary>A rao amount in alpha with all nine decimal places: 1 500 000 000 → "1.500000000".</summary>
    public static string Alpha(ulong rao) => $"{rao / RaoPerAlpha}.{rao % RaoPerAlpha:D9}";

    public static string Render(Hyperparameters hyperparameters, EpochState state, Examples.Role[] roles, EpochOutput result)
    {
        var text = new StringBuilder();
        text.AppendLine($"Yuma epoch at block {state.Block}: n = {state.N}, {(hyperparameters.Yuma3 ? "Yuma 3" : "original Yuma")} bonds, " +
                        $"kappa = {Proportion(hyperparameters.Kappa)}, distributing {Alpha(state.RaoEmission)} alpha");
        text.AppendLine();
        string[] header = ["uid", "role", "stake (alpha)", "active", "permit", "consensus", "incentive", "dividends", "v-trust", "miner (alpha)", "validator (alpha)"];
        var rows = new List<string[]> { header };
        for (var uid = 0; uid < state.N; uid++)
        {
            rows.Add([
                uid.ToString(),
                roles[uid].IsValidator ? "validator" : "miner",
                Alpha(result.Stake[uid]),
                result.Active[uid] ? "yes" : "no",
                result.NewValidatorPermits[uid] ? "yes" : "no",
                Proportion(result.Consensus[uid]),
                Proportion(result.Incentive[uid]),
                Proportion(result.Dividends[uid]),
                Proportion(result.ValidatorTrust[uid]),
                Alpha(result.ServerEmission[uid]),
                Alpha(result.ValidatorEmission[uid]),
            ]);
        }
        SimulationReport.AppendTable(text, rows, leftAligned: 2);
        var miners = result.ServerEmission.Aggregate(0UL, (a, b) => a + b);
        var validators = result.ValidatorEmission.Aggregate(0UL, (a, b) => a + b);
        text.AppendLine();
        text.AppendLine($"miners receive {Alpha(miners)} alpha, validators {Alpha(validators)} alpha; " +
                        $"{Alpha(state.RaoEmission - miners - validators)} alpha is lost to rounding down");
        return text.ToString();
    }
}
