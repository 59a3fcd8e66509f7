using Bittensor.Axon;
using Bittensor.Chain;
using Bittensor.Chain.Client;
using Bittensor.Identity;

namespace Bittensor.Neurons;

/// <summary>A validator's settings.</summary>
public sealed record ValidatorOptions
{
    /// <summary>Held-out windows per query.</summary>
    public int WindowsPerQuery { get; init; } = 48;
    public int WindowLength { get; init; } = 64;
    /// <summary>Weight of the newest score in the moving average (the template's <c>moving_average_alpha</c> is 0.1).</summary>
    public double MovingAverageAlpha { get; init; } = 0.2;
    /// <summary>Set weights when at least this many blocks passed since the last time (and the chain's rate limit allows).</summary>
    public int WeightsEveryBlocks { get; init; } = 5;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(12);
    public int Seed { get; init; } = 1;
}

/// <summary>What one query round found.</summary>
public sealed record QueryRound(int[] Uids, double[] Shapley, int[] StatusCodes, double ErrorBound);

/// <summary>
/// A validator: queries every serving miner with the same held-out windows, scores each by its Shapley value in the
/// mixture of experts (<see cref="MixtureScoring"/>), keeps a moving average of scores per uid, and sets weights on the
/// chain as the SDK does (scores normalised, divided by the largest, scaled to u16 with round-half-even, zeros dropped).
/// </summary>
public sealed class Validator : IDisposable
{
    private readonly ValidatorOptions _options;
    private readonly Random _rng;
    private readonly string _heldOut;
    private double[] _scores = [];
    private string[] _hotkeys = [];
    private ulong _lastWeightsBlock;

    public string Name { get; }
    public Sr25519KeyPair Hotkey { get; }
    public ushort Netuid { get; }
    public Dendrite Dendrite { get; }
    /// <summary>The moving average of scores, by uid.</summary>
    public IReadOnlyList<double> Scores => _scores;

    public Validator(string name, Sr25519KeyPair hotkey, ushort netuid, Corpus corpus, ValidatorOptions? options = null)
    {
        Name = name;
        Hotkey = hotkey;
        Netuid = netuid;
        _options = options ?? new ValidatorOptions();
        _rng = new Random(_options.Seed);
        _heldOut = corpus.HeldOut;
        Dendrite = new Dendrite(hotkey);
    }

    /// <summary>Queries the serving uids of <paramref name="metagraph"/> (all but itself) and folds the Shapley values
    /// into the moving average. A uid whose hotkey changed starts again from 0.</summary>
    public async Task<QueryRound> QueryAsync(Metagraph metagraph, CancellationToken cancel = default)
    {
        Resize(metagraph);
        var self = Ss58.Encode(Hotkey.PublicKey);
        var uids = Enumerable.Range(0, metagraph.N).Where(u => metagraph.Axons[u] is not null && metagraph.Hotkeys[u] != self).ToArray();
        var picks = Enumerable.Range(0, _options.WindowsPerQuery).Select(_ => Corpus.Sample(_heldOut, _options.WindowLength, _rng)).ToArray();
        var query = new TextPrediction { Windows = picks.Select(p => p.Window).ToList() };
        var targets = picks.Select(p => CharVocabulary.IdOf(p.Next)).ToArray();
        var answers = await Dendrite.ForwardAsync(uids.Select(u => new AxonEndpoint(metagraph.Axons[u]!.Ip, metagraph.Axons[u]!.Port, metagraph.Hotkeys[u])), query, _options.Timeout, cancel);
        var probabilities = answers.Select(a => a.Dendrite.StatusCode == 200 ? MixtureScoring.TargetProbabilities(a.Distributions, targets) : null).ToArray();
        var shapley = MixtureScoring.Shapley(probabilities, seed: _rng.Next());
        var alpha = _options.MovingAverageAlpha;
        var rewards = new double[metagraph.N];
        for (var i = 0; i < uids.Length; i++) rewards[uids[i]] = Math.Max(0, shapley.Values[i]);   // a negative marginal value earns nothing
        for (var u = 0; u < metagraph.N; u++) _scores[u] = alpha * rewards[u] + (1 - alpha) * _scores[u];
        return new QueryRound(uids, shapley.Values, answers.Select(a => a.Dendrite.StatusCode ?? 0).ToArray(), shapley.ErrorBound);
    }

    private void Resize(Metagraph m)
    {
        if (_scores.Length < m.N) Array.Resize(ref _scores, m.N);
        if (_hotkeys.Length < m.N) Array.Resize(ref _hotkeys, m.N);
        for (var u = 0; u < m.N; u++)
        {
            if (_hotkeys[u] is not null && _hotkeys[u] != m.Hotkeys[u]) _scores[u] = 0;
            _hotkeys[u] = m.Hotkeys[u];
        }
    }

    /// <summary>Whether it is time to set weights at <paramref name="block"/>.</summary>
    public bool WeightsDue(ulong block) => block >= _lastWeightsBlock + (ulong)_options.WeightsEveryBlocks;

    /// <summary>Submits the current scores as weights; returns the extrinsic hash.</summary>
    public async Task<string> SetWeightsAsync(ISubtensor chain, ulong block, CancellationToken cancel = default)
    {
        var uids = Enumerable.Range(0, _scores.Length).Select(u => (ushort)u).ToArray();
        var (dests, values) = WeightConversion.ConvertForEmit(uids, WeightConversion.Normalize(_scores));
        _lastWeightsBlock = block;
        return await chain.SubmitAsync(Hotkey, new Call.SetWeights(Netuid, dests, values, 0), cancel);
    }

    public void Dispose() => Dendrite.Dispose();
}
