using Bittensor.Chain;
using Bittensor.Neurons;
using Xunit;

namespace Bittensor.Node.Tests;

/// <summary>The neuron library (it lives here because every project that references TorchSharp copies its ~480 MB of
/// native libraries): Shapley scoring, the SDK weight conversion, the language model, and localnet end to end.</summary>
public class NeuronTests
{
    private static double[] Answer(params double[] p) => p;

    [Fact]
    public void Noise_earns_about_nothing_and_a_good_predictor_earns_its_loss_reduction()
    {
        var rng = new Random(1);
        var good = Enumerable.Range(0, 64).Select(_ => 0.5).ToArray();                                     // p(next) = 0.5
        var noise = Enumerable.Range(0, 64).Select(_ => rng.NextDouble() * 2.0 / CharVocabulary.Size).ToArray(); // about uniform
        var scores = MixtureScoring.Shapley([good, noise]);
        Assert.True(scores.Exact);
        Assert.InRange(scores.Values[1], -0.01, 0.02);
        Assert.InRange(scores.Values[0], Math.Log(0.5 * 96) - 0.1, Math.Log(0.5 * 96) + 0.01);
    }

    [Fact]
    public void Identical_answers_share_the_value_and_the_values_add_up_to_the_whole()
    {
        var rng = new Random(2);
        var a = Enumerable.Range(0, 48).Select(_ => 0.05 + 0.9 * rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 48).Select(_ => 0.05 + 0.5 * rng.NextDouble()).ToArray();
        var alone = MixtureScoring.Shapley([a, b]).Values;
        var copied = MixtureScoring.Shapley([a, b, (double[])a.Clone()]).Values;
        Assert.Equal(copied[0], copied[2], 12);
        Assert.True(copied[0] < alone[0], "the copied miner's share drops when a copier joins");
        var whole = MixtureScoring.CoalitionValue([a, b, a], 0b111);
        Assert.Equal(whole, copied.Sum(), 9);
    }

    [Fact]
    public void Beyond_eight_miners_the_sampled_values_are_within_their_stated_bound()
    {
        var rng = new Random(3);
        var miners = Enumerable.Range(0, 10).Select(i => Enumerable.Range(0, 32).Select(_ => (0.02 + i * 0.05) * rng.NextDouble() + 0.01).ToArray()).ToArray<double[]?>();
        var sampled = MixtureScoring.Shapley(miners, permutations: 300, seed: 4);
        Assert.False(sampled.Exact);
        var exact = Bittensor.Spec.Analysis.Shapley.exact(10, Microsoft.FSharp.Core.FuncConvert.FromFunc<int, double>(mask => MixtureScoring.CoalitionValue(miners, mask)));
        for (var i = 0; i < 10; i++) Assert.InRange(sampled.Values[i], exact[i] - sampled.ErrorBound, exact[i] + sampled.ErrorBound);
        Assert.True(sampled.ErrorBound is > 0 and < 1);
    }

    [Fact]
    public void Malformed_distributions_are_no_answer()
    {
        var ok = Enumerable.Repeat(1f / 96, 96).ToArray();
        Assert.NotNull(MixtureScoring.TargetProbabilities([ok], [5]));
        Assert.Null(MixtureScoring.TargetProbabilities([ok[..95]], [5]));                           // wrong length
        Assert.Null(MixtureScoring.TargetProbabilities([ok, ok], [5]));                             // wrong count
        Assert.Null(MixtureScoring.TargetProbabilities([ok.Select(_ => 1f).ToArray()], [5]));       // sums to 96
        Assert.Null(MixtureScoring.TargetProbabilities([ok.Select((p, i) => i == 0 ? float.NaN : p).ToArray()], [5]));
        Assert.Null(MixtureScoring.TargetProbabilities(null, [5]));
    }

    [Fact]
    public void Weights_convert_to_u16_as_the_sdk_does()
    {
        Assert.Equal("1,2,3 / 21845,43690,65535", Pair(WeightConversion.ConvertForEmit([1, 2, 3], [0.1, 0.2, 0.3])));
        // 1/2 · 65535 = 32767.5 rounds half to even: 32768; 1e-6 of the max rounds to 0 and is dropped
        Assert.Equal("0,1 / 32768,65535", Pair(WeightConversion.ConvertForEmit([0, 1, 2], [1, 2, 2e-6])));
        Assert.Equal(" / ", Pair(WeightConversion.ConvertForEmit([0, 1], [0, 0])));
        Assert.Throws<ArgumentException>(() => WeightConversion.ConvertForEmit([0], [-1]));
        Assert.Equal([0.5, 0.5], WeightConversion.Normalize([0, 0]));
        Assert.Equal([0.25, 0.75], WeightConversion.Normalize([1, 3]));
    }

    private static string Pair((ushort[] Uids, ushort[] Values) p) => string.Join(',', p.Uids) + " / " + string.Join(',', p.Values);

    [Fact]
    public void A_model_learns_and_reloads_to_the_same_predictions()
    {
        var corpus = Corpus.Load(Corpus.DefaultPath());
        var spec = ModelSpec.Small.WithSteps(40);
        var (model, report) = LanguageModel.Train(spec, corpus);
        using (model)
        {
            Assert.True(report.LastLoss < report.FirstLoss - 1, $"loss {report.FirstLoss} → {report.LastLoss}");
            var windows = new[] { "And Jesus said unto them, ", "In the beginning was the Word, and the Word was with God, and the Word was God." };
            var before = model.Predict(windows);
            Assert.All(before, d => Assert.Equal(1.0, d.Sum(), 3));
            Assert.All(before, d => Assert.Equal(CharVocabulary.Size, d.Length));
            var path = Path.Combine(Path.GetTempPath(), $"bt-model-{Guid.NewGuid():N}.bin");
            try
            {
                model.Save(path);
                using var reloaded = LanguageModel.Load(spec, path);
                Assert.Equal(before, reloaded.Predict(windows));
                Assert.True(reloaded.Loss(corpus.HeldOut, 100, 1) < Math.Log(96) - 1);
            }
            finally { File.Delete(path); }
        }
    }

    [Fact]
    public void The_directory_blacklists_unregistered_callers_and_callers_without_a_permit()
    {
        var directory = new NeuronDirectory();
        var m = new Metagraph(1, 10, 2, 10, 0, "o", "o", [0, 1], ["5Validator", "5Miner"], ["c", "c"], [5_000_000_000, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0],
            [true, false], [0, 0], [0, 0], [true, true], [null, null], [[], []], [[], []]);
        directory.Update(m);
        Assert.False(directory.Blacklist(new TextPrediction { Dendrite = new() { Hotkey = "5Validator" } }).Blacklisted);
        Assert.Contains("no validator permit", directory.Blacklist(new TextPrediction { Dendrite = new() { Hotkey = "5Miner" } }).Reason);
        Assert.Contains("not registered", directory.Blacklist(new TextPrediction { Dendrite = new() { Hotkey = "5Nobody" } }).Reason);
        Assert.Equal(5.0, directory.Priority(new TextPrediction { Dendrite = new() { Hotkey = "5Validator" } }));
    }

    /// <summary>The main job with small models: every fact it claims must hold, and the plot is a PNG.</summary>
    [Fact]
    public void Localnet_runs_end_to_end_and_its_three_checks_hold()
    {
        var dir = Directory.CreateTempSubdirectory("bt-localnet-");
        try
        {
            var plot = Path.Combine(dir.FullName, "incentive.png");
            var output = new StringWriter();
            var error = new StringWriter();
            var code = Cli.Run(["localnet", "--quick", "--epochs", "3", "--models", Path.Combine(dir.FullName, "models"), "--plot", plot], output, error);
            var text = output.ToString();
            Assert.True(code == 0, text + error);
            Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("[PASS]", StringComparison.Ordinal)));
            Assert.Contains("final metagraph:", text);
            Assert.Contains("epoch 3/3", text);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(plot)[..4]);
            Assert.Equal(4, Directory.GetFiles(Path.Combine(dir.FullName, "models"), "*.bin").Length);   // saved for the next run
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Localnet_refuses_a_bad_option_with_usage()
    {
        var error = new StringWriter();
        Assert.Equal(Cli.UsageError, Cli.Run(["localnet", "--epochs", "zero"], new StringWriter(), error));
        Assert.Contains("--epochs takes a whole number from 1 to 1000, got 'zero'", error.ToString());
    }
}
