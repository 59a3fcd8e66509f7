using Bittensor.Axon;
using Bittensor.Chain;
using Bittensor.Identity;

namespace Bittensor.Neurons;

/// <summary>
/// What a neuron knows of its subnet from the last metagraph it read: who is registered, with what stake and whether
/// they hold a validator permit. Miners blacklist and prioritise callers by it.
/// </summary>
public sealed class NeuronDirectory
{
    private volatile Metagraph? _metagraph;
    private volatile Dictionary<string, int> _uids = [];

    public Metagraph? Current => _metagraph;

    public void Update(Metagraph metagraph)
    {
        _uids = metagraph.Hotkeys.Select((h, uid) => (h, uid)).ToDictionary(x => x.h, x => x.uid);
        _metagraph = metagraph;
    }

    public int? UidOf(string? hotkey) => hotkey is not null && _uids.TryGetValue(hotkey, out var uid) ? uid : null;

    /// <summary>The SDK template's blacklist with <c>force_validator_permit</c>: unknown hotkeys and callers without a
    /// validator permit are refused.</summary>
    public BlacklistVerdict Blacklist(Synapse s)
    {
        var m = _metagraph;
        if (UidOf(s.Dendrite.Hotkey) is not { } uid || m is null) return BlacklistVerdict.Refuse($"hotkey {s.Dendrite.Hotkey} is not registered on subnet {m?.Netuid}");
        return m.ValidatorPermit[uid] ? BlacklistVerdict.Allowed : BlacklistVerdict.Refuse($"hotkey {s.Dendrite.Hotkey} (uid {uid}) has no validator permit");
    }

    /// <summary>The caller's stake in TAO: richer validators are served first.</summary>
    public double Priority(Synapse s) => UidOf(s.Dendrite.Hotkey) is { } uid && _metagraph is { } m ? m.Stake[uid] / 1e9 : 0;
}

/// <summary>How a miner answers.</summary>
public enum MinerKind
{
    /// <summary>Its own language model.</summary>
    Model,
    /// <summary>Random distributions (a Dirichlet-like draw per window): no information at all.</summary>
    Noise,
    /// <summary>Forwards each query to another miner and returns that miner's answer as its own.</summary>
    Copier,
}

/// <summary>A miner: an axon serving <see cref="TextPrediction"/>, answering by its kind.</summary>
public sealed class Miner : IAsyncDisposable
{
    private readonly LanguageModel? _model;
    private readonly Func<AxonEndpoint?>? _copied;
    private readonly Dendrite? _dendrite;
    private readonly Random _noise;

    public string Name { get; }
    public MinerKind Kind { get; }
    public Sr25519KeyPair Hotkey { get; }
    public Axon.Axon Axon { get; }

    private Miner(string name, MinerKind kind, Sr25519KeyPair hotkey, NeuronDirectory directory, LanguageModel? model, Func<AxonEndpoint?>? copied, int seed)
    {
        Name = name;
        Kind = kind;
        Hotkey = hotkey;
        _model = model;
        _copied = copied;
        _noise = new Random(seed);
        if (kind == MinerKind.Copier) _dendrite = new Dendrite(hotkey);
        Axon = new Axon.Axon(hotkey).Attach<TextPrediction>(ForwardAsync, directory.Blacklist, directory.Priority);
    }

    public static Miner WithModel(string name, Sr25519KeyPair hotkey, NeuronDirectory directory, LanguageModel model) => new(name, MinerKind.Model, hotkey, directory, model, null, 0);
    public static Miner Noise(string name, Sr25519KeyPair hotkey, NeuronDirectory directory, int seed) => new(name, MinerKind.Noise, hotkey, directory, null, null, seed);
    /// <summary>A copier of the miner <paramref name="copied"/> finds (looked up per query, as it may move).</summary>
    public static Miner Copier(string name, Sr25519KeyPair hotkey, NeuronDirectory directory, Func<AxonEndpoint?> copied) => new(name, MinerKind.Copier, hotkey, directory, null, copied, 0);

    public Task StartAsync() => Axon.StartAsync();

    private async Task<TextPrediction> ForwardAsync(TextPrediction query, CancellationToken cancel)
    {
        if (query.Windows.Count > TextPrediction.MaxWindows || query.Windows.Any(w => w is null || w.Length > TextPrediction.MaxWindowLength))
            throw new ArgumentException($"at most {TextPrediction.MaxWindows} windows of at most {TextPrediction.MaxWindowLength} characters");
        switch (Kind)
        {
            case MinerKind.Model:
                query.Distributions = _model!.Predict(query.Windows).ToList();
                break;
            case MinerKind.Noise:
                lock (_noise)
                    query.Distributions = query.Windows.Select(_ =>
                    {
                        var d = Enumerable.Range(0, CharVocabulary.Size).Select(_ => (float)-Math.Log(1 - _noise.NextDouble())).ToArray();
                        var sum = d.Sum();
                        return d.Select(x => x / sum).ToArray();
                    }).ToList();
                break;
            case MinerKind.Copier:
                var target = _copied!() ?? throw new InvalidOperationException("the copied miner serves no axon");
                // the axon cancels this forward at the caller's timeout, so the relay can be given the whole budget
                var copy = await _dendrite!.CallAsync(target, new TextPrediction { Windows = query.Windows }, TimeSpan.FromSeconds(query.Timeout), cancel);
                query.Distributions = copy.Dendrite.StatusCode == 200 ? copy.Distributions : throw new InvalidOperationException($"the copied miner answered {copy.Dendrite.StatusCode}: {copy.Dendrite.StatusMessage}");
                break;
        }
        return query;
    }

    public async ValueTask DisposeAsync()
    {
        _dendrite?.Dispose();
        await Axon.DisposeAsync();
    }
}
