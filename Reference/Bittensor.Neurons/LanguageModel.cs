using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Bittensor.Neurons;

/// <summary>A miner's model: its size, how long it trains, and its seed. The file name says all of it, so a saved model
/// is reloaded only for the same settings.</summary>
public sealed record ModelSpec(string Name, int Dim, int Layers, int Heads, int Context, int TrainSteps, int BatchSize = 32, double LearningRate = 3e-3, int Seed = 1)
{
    /// <summary>Four sizes, each clearly better than the last on the held-out text once trained.</summary>
    public static readonly ModelSpec Tiny = new("tiny", Dim: 16, Layers: 1, Heads: 2, Context: 64, TrainSteps: 40);
    public static readonly ModelSpec Small = new("small", Dim: 48, Layers: 1, Heads: 4, Context: 64, TrainSteps: 150);
    public static readonly ModelSpec Medium = new("medium", Dim: 96, Layers: 2, Heads: 4, Context: 64, TrainSteps: 300);
    public static readonly ModelSpec Large = new("large", Dim: 128, Layers: 3, Heads: 4, Context: 64, TrainSteps: 600);
    public static readonly ModelSpec[] Presets = [Tiny, Small, Medium, Large];

    public string FileName => $"{Name}-d{Dim}-l{Layers}-h{Heads}-c{Context}-s{TrainSteps}-b{BatchSize}-seed{Seed}.bin";

    /// <summary>The same model shrunk for tests: fewer steps, same shape.</summary>
    public ModelSpec WithSteps(int steps) => this with { TrainSteps = steps };
}

/// <summary>A character-level causal transformer: token and learned position embeddings, pre-built
/// <c>TransformerEncoder</c> layers under a causal mask, a final layer norm and a linear head over the vocabulary.</summary>
public sealed class CharTransformer : nn.Module<Tensor, Tensor>
{
    private readonly Embedding _tokens, _positions;
    private readonly TransformerEncoder _encoder;
    private readonly LayerNorm _norm;
    private readonly Linear _head;

    public CharTransformer(ModelSpec spec) : base("char_transformer")
    {
        _tokens = nn.Embedding(CharVocabulary.Size, spec.Dim);
        _positions = nn.Embedding(spec.Context, spec.Dim);
        _encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(spec.Dim, spec.Heads, spec.Dim * 4, 0.0), spec.Layers);
        _norm = nn.LayerNorm(spec.Dim);
        _head = nn.Linear(spec.Dim, CharVocabulary.Size);
        RegisterComponents();
    }

    /// <summary>[batch, time] character ids → [batch, time, vocabulary] logits of the next character.</summary>
    public override Tensor forward(Tensor ids)
    {
        var time = ids.shape[1];
        using var scope = NewDisposeScope();
        var positions = arange(time, dtype: ScalarType.Int64, device: ids.device);
        var h = (_tokens.call(ids) + _positions.call(positions)).transpose(0, 1);   // sequence first
        var mask = triu(full(time, time, float.NegativeInfinity, device: ids.device), 1);
        h = _encoder.call(h, mask, null!).transpose(0, 1);
        return _head.call(_norm.call(h)).MoveToOuterDisposeScope();
    }
}

/// <summary>What training did and how fast.</summary>
public sealed record TrainingReport(ModelSpec Spec, double FirstLoss, double LastLoss, TimeSpan Elapsed, double TokensPerSecond, string Device);

/// <summary>
/// A trained <see cref="CharTransformer"/> on a device (CUDA when present, the CPU otherwise), able to predict the next
/// character's distribution after text windows. Inference calls are serialised per model.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    private readonly object _lock = new();
    public ModelSpec Spec { get; }
    public Device Device { get; }
    internal CharTransformer Module { get; }

    private LanguageModel(ModelSpec spec, Device device)
    {
        Spec = spec;
        Device = device;
        manual_seed(spec.Seed);
        Module = new CharTransformer(spec);
        Module.to(device);
    }

    /// <summary>CUDA when libtorch sees a GPU, else the CPU.</summary>
    public static Device DefaultDevice => cuda.is_available() ? CUDA : CPU;

    public long Parameters => Module.parameters().Sum(p => p.numel());

    /// <summary>A fresh model trained on <paramref name="corpus"/>'s training part: AdamW, random windows, seeded.</summary>
    public static (LanguageModel Model, TrainingReport Report) Train(ModelSpec spec, Corpus corpus, Device? device = null, Action<int, double>? progress = null)
    {
        var model = new LanguageModel(spec, device ?? DefaultDevice);
        using var ids = tensor(CharVocabulary.Encode(corpus.Training), dtype: ScalarType.Int64);
        var rng = new Random(spec.Seed);
        using var optimizer = optim.AdamW(model.Module.parameters(), spec.LearningRate);
        model.Module.train();
        var clock = Stopwatch.StartNew();
        double first = double.NaN, last = double.NaN;
        for (var step = 0; step < spec.TrainSteps; step++)
        {
            using var scope = NewDisposeScope();
            var starts = Enumerable.Range(0, spec.BatchSize).Select(_ => (long)rng.Next(0, (int)ids.shape[0] - spec.Context - 1)).ToArray();
            var x = stack(starts.Select(s => ids[TensorIndex.Slice(s, s + spec.Context)])).to(model.Device);
            var y = stack(starts.Select(s => ids[TensorIndex.Slice(s + 1, s + spec.Context + 1)])).to(model.Device);
            var logits = model.Module.call(x);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, CharVocabulary.Size), y.reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (step == 0) first = last;
            progress?.Invoke(step, last);
        }
        model.Module.eval();
        var tokens = (double)spec.TrainSteps * spec.BatchSize * spec.Context;
        return (model, new TrainingReport(spec, first, last, clock.Elapsed, tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), model.Device.ToString()));
    }

    /// <summary>Loads weights saved by <see cref="Save"/> for the same <paramref name="spec"/>.</summary>
    public static LanguageModel Load(ModelSpec spec, string path, Device? device = null)
    {
        var model = new LanguageModel(spec, device ?? DefaultDevice);
        model.Module.load(path);
        model.Module.to(model.Device);
        model.Module.eval();
        return model;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".partial";
        Module.save(temporary);
        File.Move(temporary, path, overwrite: true);   // a crash mid-save leaves no half-written model behind
    }

    /// <summary>The model saved under <paramref name="directory"/> for this spec, or a newly trained (and saved) one.</summary>
    public static LanguageModel LoadOrTrain(ModelSpec spec, Corpus corpus, string directory, Action<string>? log = null, Device? device = null)
    {
        var path = Path.Combine(directory, spec.FileName);
        if (File.Exists(path))
        {
            log?.Invoke($"loaded {spec.Name} from {path}");
            return Load(spec, path, device);
        }
        var (model, report) = Train(spec, corpus, device);
        model.Save(path);
        log?.Invoke($"trained {spec.Name} ({model.Parameters:N0} parameters, {spec.TrainSteps} steps) on {report.Device} in {report.Elapsed.TotalSeconds:0.0} s: loss {report.FirstLoss:0.000} → {report.LastLoss:0.000}, {report.TokensPerSecond:N0} tokens/s; saved {path}");
        return model;
    }

    /// <summary>The distribution of the character after each window (the last <see cref="ModelSpec.Context"/>
    /// characters of it count; shorter windows are padded on the left with spaces).</summary>
    public float[][] Predict(IReadOnlyList<string> windows)
    {
        if (windows.Count == 0) return [];
        var length = Math.Clamp(windows.Max(w => w.Length), 1, Spec.Context);
        var ids = new long[windows.Count * length];
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i].Length > length ? windows[i][^length..] : windows[i].PadLeft(length);
            for (var t = 0; t < length; t++) ids[i * length + t] = CharVocabulary.IdOf(w[t]);
        }
        lock (_lock)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = tensor(ids, [windows.Count, length], dtype: ScalarType.Int64).to(Device);
            var last = Module.call(x)[TensorIndex.Colon, length - 1, TensorIndex.Colon];
            var probabilities = nn.functional.softmax(last, 1).to(CPU).data<float>().ToArray();
            return Enumerable.Range(0, windows.Count).Select(i => probabilities.AsSpan(i * CharVocabulary.Size, CharVocabulary.Size).ToArray()).ToArray();
        }
    }

    /// <summary>Mean cross-entropy (nats) of the next character over <paramref name="samples"/> seeded windows of
    /// <paramref name="text"/>: the model's quality on it (uniform guessing scores ln 96 ≈ 4.56).</summary>
    public double Loss(string text, int samples, int seed)
    {
        var rng = new Random(seed);
        var picks = Enumerable.Range(0, samples).Select(_ => Corpus.Sample(text, Spec.Context, rng)).ToArray();
        var predictions = Predict(picks.Select(p => p.Window).ToArray());
        return picks.Select((p, i) => -Math.Log(Math.Max(predictions[i][CharVocabulary.IdOf(p.Next)], 1e-12))).Average();
    }

    public void Dispose() => Module.Dispose();
}
