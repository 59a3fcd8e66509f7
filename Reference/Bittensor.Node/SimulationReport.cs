using System.Text;
using Bittensor.Spec.Subnet;
using Bittensor.Spec.Yuma;
using Microsoft.FSharp.Collections;

namespace Bittensor.Node;

/// <summary>Renders a multi-epoch run of the example subnet: how each miner's incentive and each validator's dividends
/// evolve epoch by epoch, then the final metagraph.</summary>
public static class SimulationReport
{
    public static string Render(SubnetState final, FSharpList<Tuple<ulong, EpochOutput>> epochs)
    {
        var participants = Bittensor.Spec.Subnet.Examples.participants;
        var text = new StringBuilder();
        text.AppendLine($"Example subnet {final.Netuid}: {participants.Length} neurons, tempo {final.Parameters.Epoch.Tempo} blocks, " +
                        $"{EpochTable.Alpha(final.Parameters.AlphaEmissionPerBlock)} alpha emitted per block; {epochs.Length} epochs to block {final.Block}");
        text.AppendLine();

        var names = participants.Select(p => p.Name).ToArray();
        var header = new[] { "block" }.Concat(names.Select((name, uid) => $"{uid}:{name}")).ToArray();
        var perEpoch = new List<string[]> { header };
        foreach (var (block, output) in epochs)
        {
            perEpoch.Add(new[] { block.ToString() }
                .Concat(Enumerable.Range(0, names.Length).Select(uid =>
                    participants[uid].IsValidator ? "d " + EpochTable.Proportion(output.Dividends[uid]) : "i " + EpochTable.Proportion(output.Incentive[uid])))
                .ToArray());
        }
        text.AppendLine("Per epoch: incentive (i) of each miner, dividends (d) of each validator");
        AppendTable(text, perEpoch, leftAligned: 0);
        text.AppendLine();

        var metagraph = new List<string[]> { new[] { "uid", "name", "stake (alpha)", "permit", "consensus", "incentive", "dividends", "v-trust", "emission (alpha)" } };
        for (var uid = 0; uid < final.Neurons.Length; uid++)
        {
            var neuron = final.Neurons[uid];
            metagraph.Add([
                uid.ToString(), names[uid], EpochTable.Alpha(State.hotkeyStake(final, neuron.Hotkey)), neuron.ValidatorPermit ? "yes" : "no",
                EpochTable.Proportion(neuron.Consensus), EpochTable.Proportion(neuron.Incentive), EpochTable.Proportion(neuron.Dividends),
                EpochTable.Proportion(neuron.ValidatorTrust), EpochTable.Alpha(neuron.Emission),
            ]);
        }
        text.AppendLine("Final metagraph");
        AppendTable(text, metagraph, leftAligned: 2);
        return text.ToString();
    }

    /// <summary>Appends rows as aligned columns: the first <paramref name="leftAligned"/> columns left-aligned, the rest
    /// right-aligned.</summary>
    internal static void AppendTable(StringBuilder text, IReadOnlyList<string[]> rows, int leftAligned)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c < leftAligned ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }
}
