using System.Diagnostics;
using System.Globalization;
using Bittensor.Neurons;

namespace Bittensor.Node;

/// <summary><c>localnet</c> (the main job) and <c>models bench</c>.</summary>
internal static class NeuronCommands
{
    public const string LocalNetUsage =
        """
        usage: bittensor-node localnet [--epochs N] [--tempo N] [--models DIR] [--plot FILE] [--quick]
          --epochs N    epochs to run after validator permits arrive (default 8)
          --tempo N     blocks per epoch (default 10)
          --models DIR  where trained models are saved and reloaded (default ~/.bittensor/models)
          --plot FILE   the PNG of each miner's incentive per epoch (default localnet-incentive.png)
          --quick       small, briefly trained models (for a fast look; the checks still apply)
        """;

    public static int LocalNet(string[] args, TextWriter output, TextWriter error)
    {
        var options = new LocalNetOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ChainCommands.UsageException($"{args[i]} needs a value");
            int Whole(string name, int min, int max) =>
                int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
                    : throw new ChainCommands.UsageException($"{name} takes a whole number from {min} to {max}, got '{args[i]}'");
            try
            {
                options = args[i] switch
                {
                    "--epochs" => options with { Epochs = Whole("--epochs", 1, 1000) },
                    "--tempo" => options with { Tempo = (ushort)Whole("--tempo", 2, 360) },
                    "--models" => options with { ModelDirectory = Value() },
                    "--plot" => options with { PlotPath = Value() },
                    "--quick" => options with { Models = QuickModels },
                    _ => throw new ChainCommands.UsageException($"unknown option '{args[i]}'"),
                };
            }
            catch (ChainCommands.UsageException e)
            {
                error.WriteLine($"bittensor-node localnet: {e.Message}");
                error.Write(LocalNetUsage);
                return Cli.UsageError;
            }
        }
        var result = Bittensor.Neurons.LocalNet.RunAsync(options, output).GetAwaiter().GetResult();
        output.WriteLine();
        output.WriteLine("final metagraph:");
        output.Write(ChainCommands.RenderMetagraph(result.Final));
        output.WriteLine();
        output.WriteLine($"incentive per epoch written to {Path.GetFullPath(result.PlotPath)} (x: epoch, y: incentive 0 to 1); colours: " +
                         string.Join(", ", result.Miners.Select((m, i) => $"{m.Name} (uid {m.Uid}) {Bittensor.Neurons.LocalNet.ColourOf(i)}")));
        output.WriteLine();
        foreach (var check in result.Checks)
            output.WriteLine($"[{(check.Holds ? "PASS" : "FAIL")}] {check.Claim}: {check.Evidence}");
        return result.Checks.All(c => c.Holds) ? 0 : 1;
    }

    /// <summary>The presets with fewer training steps: the same order of quality, in seconds rather than a minute.</summary>
    public static readonly ModelSpec[] QuickModels =
    [
        ModelSpec.Tiny.WithSteps(20), ModelSpec.Small.WithSteps(60), ModelSpec.Medium.WithSteps(120), ModelSpec.Large with { Layers = 2, TrainSteps = 200 },
    ];

    /// <summary>Training and inference throughput of each preset, in characters (tokens) per second.</summary>
    public static int Bench(string[] args, TextWriter output, TextWriter error)
    {
        var steps = 30;
        if (args.Length == 2 && args[0] == "--steps" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 2 and <= 10_000) steps = s;
        else if (args.Length != 0)
        {
            error.WriteLine("usage: bittensor-node models bench [--steps N]   (N from 2 to 10000, default 30)");
            return Cli.UsageError;
        }
        var corpus = Corpus.Load(Corpus.DefaultPath());
        var devices = new List<TorchSharp.torch.Device> { TorchSharp.torch.CPU };
        if (TorchSharp.torch.cuda.is_available()) devices.Add(TorchSharp.torch.CUDA);
        output.WriteLine($"threads {TorchSharp.torch.get_num_threads()}, {Environment.ProcessorCount} cores; CUDA {(TorchSharp.torch.cuda.is_available() ? "available" : "not available")}");
        output.WriteLine("| model | parameters | device | train tokens/s | batch-32 inference tokens/s | 1-window inference windows/s |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var device in devices)
            foreach (var preset in ModelSpec.Presets)
            {
                var (model, report) = LanguageModel.Train(preset.WithSteps(steps), corpus, device);
                using (model)
                {
                    var rng = new Random(3);
                    var batch = Enumerable.Range(0, 32).Select(_ => Corpus.Sample(corpus.HeldOut, preset.Context, rng).Window).ToArray();
                    model.Predict(batch);   // warm-up
                    var clock = Stopwatch.StartNew();
                    var rounds = 0;
                    while (clock.Elapsed < TimeSpan.FromSeconds(1) || rounds < 3) { model.Predict(batch); rounds++; }
                    var batched = rounds * 32.0 * preset.Context / clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    var singles = 0;
                    while (clock.Elapsed < TimeSpan.FromSeconds(1) || singles < 3) { model.Predict([batch[singles % 32]]); singles++; }
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {preset.Name} | {model.Parameters:N0} | {device} | {report.TokensPerSecond:N0} | {batched:N0} | {singles / clock.Elapsed.TotalSeconds:N0} |"));
                }
            }
        output.WriteLine($"(training: {steps} AdamW steps of 32 windows × 64 characters each; tokens are characters)");
        return 0;
    }
}
