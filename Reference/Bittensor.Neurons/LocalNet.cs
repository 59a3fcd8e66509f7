using System.Diagnostics;
using System.Globalization;
using Bittensor.Axon;
using Bittensor.Chain;
using Bittensor.Chain.Client;
using Bittensor.Identity;
using Microsoft.FSharp.Collections;
using Plot = Bittensor.Spec.Analysis.Plot;

namespace Bittensor.Neurons;

/// <summary>Settings of a local network run.</summary>
public sealed record LocalNetOptions
{
    public int Epochs { get; init; } = 8;
    public ushort Tempo { get; init; } = 10;
    /// <summary>The four model miners, worst to best; the copier copies the last.</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = ModelSpec.Presets;
    public string ModelDirectory { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".bittensor", "models");
    public string? CorpusPath { get; init; }
    public string PlotPath { get; init; } = "localnet-incentive.png";
    public ValidatorOptions Validator { get; init; } = new();
    /// <summary>Where the chain is stored; null keeps it in memory.</summary>
    public string? ChainPath { get; init; }
}

/// <summary>One of the three facts a run must show.</summary>
public sealed record LocalNetCheck(string Claim, bool Holds, string Evidence);

/// <summary>What a run produced.</summary>
public sealed record LocalNetResult(Metagraph Final, IReadOnlyList<(string Name, int Uid, string Kind)> Miners, IReadOnlyList<double[]> IncentiveByEpoch,
    IReadOnlyDictionary<string, double> HeldOutLoss, IReadOnlyList<LocalNetCheck> Checks, string PlotPath);

/// <summary>
/// The main job: the embedded chain, a subnet with an owner, two validators and six miners (four models of growing
/// quality, one that answers noise, one that copies the best model's answers), run for a number of epochs over the real
/// axon/dendrite protocol on loopback. Each block both validators query every miner, score by Shapley value and, every few
/// blocks, set weights; the chain runs Yuma Consensus every tempo. Returns the final metagraph, each miner's incentive
/// per epoch (also drawn as a PNG) and three checks.
/// </summary>
public static class LocalNet
{
    public const ushort Netuid = 1;

    public static async Task<LocalNetResult> RunAsync(LocalNetOptions options, TextWriter progress, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        void Say(string line) => progress.WriteLine(FormattableString.Invariant($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {line}"));
        var corpus = Corpus.Load(options.CorpusPath ?? Corpus.DefaultPath());
        Say($"corpus: {corpus.Training.Length:N0} training and {corpus.HeldOut.Length:N0} held-out characters; models on {LanguageModel.DefaultDevice}");
        var models = options.Models.Select(spec => LanguageModel.LoadOrTrain(spec, corpus, options.ModelDirectory, Say)).ToList();
        var heldOutLoss = models.ToDictionary(m => m.Spec.Name, m => m.Loss(corpus.HeldOut, 400, seed: 7));
        Say("held-out loss (nats/char, uniform = 4.564): " + string.Join(", ", heldOutLoss.Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:0.000}"))));

        using var node = ChainNode.Open(options.ChainPath);
        var chain = new EmbeddedSubtensor(node);
        var directory = new NeuronDirectory();
        var key = (string uri) => SecretUri.Parse(uri).ToSr25519();
        var owner = key("//Alice");
        var ownerHotkey = key("//Alice//owner");
        var validators = new[] { ("validator-1", key("//Bob"), key("//Bob//validator"), 20_000UL), ("validator-2", key("//Charlie"), key("//Charlie//validator"), 10_000UL) };
        var minerColdkey = key("//Dave");
        var miners = new List<Miner>();
        var neurons = Array.Empty<Validator>();
        try
        {
            // the subnet and its parameters: a short tempo, weights every few blocks, room to register everyone at once
            await chain.SubmitAsync(owner, new Call.RegisterNetwork(AccountId.FromPublicKey(ownerHotkey.PublicKey)));
            Seal(node);
            foreach (var (parameter, value) in new (SubnetParameter, ulong)[]
                     {
                         (SubnetParameter.Tempo, options.Tempo), (SubnetParameter.WeightsRateLimit, 1), (SubnetParameter.MaxRegistrationsPerBlock, 16),
                         (SubnetParameter.TargetRegistrationsPerInterval, 16), (SubnetParameter.ActivityCutoff, 5000), (SubnetParameter.MaxAllowedValidators, 8),
                     })
                await chain.SubmitAsync(owner, new Call.SetSubnetParameter(Netuid, parameter, value));
            Seal(node);

            for (var i = 0; i < models.Count; i++)
                miners.Add(Miner.WithModel(models[i].Spec.Name, key($"//Dave//{models[i].Spec.Name}"), directory, models[i]));
            miners.Add(Miner.Noise("noise", key("//Dave//noise"), directory, seed: 11));
            var copied = miners[models.Count - 1];
            miners.Add(Miner.Copier($"copier-of-{copied.Name}", key("//Eve//copier"), directory, () => Endpoint(directory, copied)));
            foreach (var (_, coldkey, hotkey, _) in validators) await chain.SubmitAsync(coldkey, new Call.BurnedRegister(Netuid, AccountId.FromPublicKey(hotkey.PublicKey)));
            foreach (var m in miners)
                await chain.SubmitAsync(m.Kind == MinerKind.Copier ? key("//Eve") : minerColdkey, new Call.BurnedRegister(Netuid, AccountId.FromPublicKey(m.Hotkey.PublicKey)));
            Seal(node);
            // stake: the validators, and 1 TAO for the copier so that it holds a permit and the copied miner answers it
            foreach (var (_, coldkey, hotkey, tao) in validators) await chain.SubmitAsync(coldkey, new Call.AddStake(AccountId.FromPublicKey(hotkey.PublicKey), Netuid, tao * 1_000_000_000));
            await chain.SubmitAsync(key("//Eve"), new Call.AddStake(AccountId.FromPublicKey(miners[^1].Hotkey.PublicKey), Netuid, 1_000_000_000));
            foreach (var m in miners)
            {
                await m.StartAsync();
                var ip = (UInt128)(uint)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(m.Axon.EndPoint!.Address.GetAddressBytes());
                await chain.SubmitAsync(m.Hotkey, new Call.ServeAxon(Netuid, (uint)AxonVersion.Current, ip, (ushort)m.Axon.EndPoint.Port, 4, 4, 0, 0));
            }
            Seal(node);
            var metagraph = (await chain.GetMetagraphAsync(Netuid, cancel))!;
            var minerUids = miners.Select(m => (m.Name, Uid: Array.IndexOf(metagraph.Hotkeys, Ss58.Encode(m.Hotkey.PublicKey)), Kind: m.Kind.ToString().ToLowerInvariant())).ToList();
            Say($"subnet {Netuid}: owner uid 0, validators uids {string.Join(", ", validators.Select(v => Array.IndexOf(metagraph.Hotkeys, Ss58.Encode(v.Item3.PublicKey))))}, miners " +
                string.Join(", ", minerUids.Select(m => $"{m.Name} uid {m.Uid}")));

            // validator permits arrive with the first epoch
            var firstEpoch = EpochIndex(node);
            while (EpochIndex(node) == firstEpoch) Seal(node);
            Say($"block {node.BestHeader.Number}: first epoch done, permits granted; running {options.Epochs} epochs of {options.Tempo} blocks");

            neurons = validators.Select((v, i) => new Validator(v.Item1, v.Item3, Netuid, corpus, options.Validator with { Seed = options.Validator.Seed + i })).ToArray();
            var incentives = new List<double[]>();
            var epoch = EpochIndex(node);
            QueryRound? lastRound = null;
            while (incentives.Count < options.Epochs)
            {
                cancel.ThrowIfCancellationRequested();
                metagraph = (await chain.GetMetagraphAsync(Netuid, cancel))!;
                directory.Update(metagraph);
                var rounds = await Task.WhenAll(neurons.Select(v => v.QueryAsync(metagraph, cancel)));
                lastRound = rounds[0];
                foreach (var v in neurons)
                    if (v.WeightsDue(metagraph.Block)) await v.SetWeightsAsync(chain, metagraph.Block, cancel);
                Seal(node);
                if (EpochIndex(node) != epoch)
                {
                    epoch = EpochIndex(node);
                    metagraph = (await chain.GetMetagraphAsync(Netuid, cancel))!;
                    var row = minerUids.Select(m => metagraph.Incentive[m.Uid] / 65535.0).ToArray();
                    incentives.Add(row);
                    var statuses = string.Join(" ", lastRound.StatusCodes.GroupBy(c => c).Select(g => $"{g.Key}×{g.Count()}"));
                    Say($"epoch {incentives.Count}/{options.Epochs} (block {metagraph.Block}): incentive " +
                        string.Join("  ", minerUids.Select((m, i) => FormattableString.Invariant($"{m.Name} {row[i]:0.000}"))) + $"  | last query: {statuses}");
                }
            }
            metagraph = (await chain.GetMetagraphAsync(Netuid, cancel))!;
            var checks = Checks(minerUids, metagraph, heldOutLoss, models.Count);
            WritePlot(options.PlotPath, incentives);
            return new LocalNetResult(metagraph, minerUids, incentives, heldOutLoss, checks, options.PlotPath);
        }
        finally
        {
            foreach (var v in neurons) v.Dispose();
            foreach (var m in miners) await m.DisposeAsync();
            foreach (var m in models) m.Dispose();
        }
    }

    /// <summary>The three facts. Model miners are listed worst to best by held-out loss.</summary>
    private static List<LocalNetCheck> Checks(List<(string Name, int Uid, string Kind)> miners, Metagraph m, Dictionary<string, double> loss, int modelCount)
    {
        double I(int i) => m.Incentive[miners[i].Uid] / 65535.0;
        var ranked = Enumerable.Range(0, modelCount).OrderByDescending(i => loss[miners[i].Name]).ToArray();   // worst first
        var increasing = ranked.Zip(ranked.Skip(1)).All(p => I(p.First) < I(p.Second));
        var order = string.Join(" < ", ranked.Select(i => FormattableString.Invariant($"{miners[i].Name} {I(i):0.0000} (loss {loss[miners[i].Name]:0.000})")));
        var noise = miners.FindIndex(x => x.Kind == "noise");
        var copier = miners.FindIndex(x => x.Kind == "copier");
        // one u16 step of tolerance: the copier's and the original's identical answers can differ in the last bit of a
        // float sum on the way to u16
        var copierHolds = I(copier) <= I(modelCount - 1) + 1.0 / 65535;
        return
        [
            new("better models earn more", increasing, order),
            new("the noise miner earns about nothing (< 1 % of incentive)", I(noise) < 0.01, FormattableString.Invariant($"noise {I(noise):0.0000}")),
            new("the copier earns no more than the miner it copies", copierHolds,
                FormattableString.Invariant($"{miners[copier].Name} {I(copier):0.0000} vs {miners[modelCount - 1].Name} {I(modelCount - 1):0.0000}")),
        ];
    }

    private static void WritePlot(string path, List<double[]> incentives)
    {
        var series = Enumerable.Range(0, incentives[0].Length)
            .Select(i => incentives.Select((row, epoch) => Tuple.Create(epoch + 1.0, row[i])).ToArray()).ToArray();
        var top = Math.Max(0.1, Math.Ceiling(incentives.SelectMany(r => r).Max() * 10) / 10);
        var chart = new Plot.Chart(800, 480, Tuple.Create(1.0, Math.Max(2.0, incentives.Count)), Tuple.Create(0.0, top), Tuple.Create(1.0, 0.05), ListModule.OfArray(series), FSharpList<double>.Empty);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(path, Plot.encodePng(800, 480, Plot.render(chart)));
    }

    /// <summary>The colour each miner has in the plot, in miner order.</summary>
    public static string ColourOf(int series) => Plot.seriesNames[series % Plot.seriesNames.Length];

    private static AxonEndpoint? Endpoint(NeuronDirectory directory, Miner miner) =>
        directory.Current is { } m && directory.UidOf(Ss58.Encode(miner.Hotkey.PublicKey)) is { } uid && m.Axons[uid] is { } a ? new AxonEndpoint(a.Ip, a.Port, m.Hotkeys[uid]) : null;

    private static ulong EpochIndex(ChainNode node) => node.Read(s => s.Subnets[Netuid].EpochIndex);

    /// <summary>Seals a block and fails loudly if any extrinsic in it failed: neither set-up nor weight setting may go wrong silently.</summary>
    private static void Seal(ChainNode node)
    {
        var block = node.ProduceBlock();
        if (block.Outcomes.FirstOrDefault(o => !o.Success) is { } failed)
            throw new InvalidOperationException($"{failed.Call} failed in block {block.Header.Number}: {failed.Error}");
    }
}
