using Bittensor.Axon;
using Microsoft.FSharp.Core;
using ShapleyModel = Bittensor.Spec.Analysis.Shapley;

namespace Bittensor.Neurons;

/// <summary>The subnet's one synapse: text windows in (signed), the next character's distribution after each out.</summary>
public sealed class TextPrediction : Synapse
{
    /// <summary>Windows of text; the miner predicts the character after each.</summary>
    public List<string> Windows { get; set; } = [];
    /// <summary>For each window, <see cref="CharVocabulary.Size"/> probabilities in vocabulary order.</summary>
    public List<float[]>? Distributions { get; set; }
    public override IReadOnlyList<string> RequiredHashFields => ["windows"];

    public const int MaxWindows = 256, MaxWindowLength = 1024;
}

/// <summary>Each miner's Shapley value for one query, and the error of the estimate (0 when exact).</summary>
public sealed record ShapleyScores(double[] Values, double ErrorBound, bool Exact);

/// <summary>
/// How a validator scores miners: by the Shapley value of each in the validator's mixture of experts. For a coalition S
/// of miners the combined prediction is the best mixture of S's distributions and the uniform distribution (weights
/// fitted to the query by EM, which maximises the held-out likelihood, a concave problem); its value is the loss
/// reduction over guessing uniformly, v(S) = mean over windows of ln(96 · p_S(next character)), so v(∅) = 0 and v only
/// grows as miners join. A miner's score is its marginal contribution averaged over all orders of joining: a miner that
/// answers noise adds nothing to any mixture and scores about 0; two miners giving the same answers are symmetric players,
/// so they get the same value, and the original's value drops: copying never earns more than the original.
/// </summary>
public static class MixtureScoring
{
    /// <summary>Exact Shapley values up to this many miners (2^n coalitions); permutation sampling beyond.</summary>
    public const int ExactUpTo = 8;
    /// <summary>EM iterations per coalition.</summary>
    public const int EmIterations = 60;

    /// <summary>A miner's answer as the probability it gave each window's true next character, or null when the
    /// answer is missing or malformed (wrong count or length, negative or non-finite entries, a sum far from 1).
    /// Valid distributions are normalised to sum to 1.</summary>
    public static double[]? TargetProbabilities(IReadOnlyList<float[]>? distributions, IReadOnlyList<int> targets)
    {
        if (distributions is null || distributions.Count != targets.Count) return null;
        var result = new double[targets.Count];
        for (var w = 0; w < targets.Count; w++)
        {
            var d = distributions[w];
            if (d is null || d.Length != CharVocabulary.Size) return null;
            double sum = 0;
            foreach (var p in d)
            {
                if (!float.IsFinite(p) || p < 0) return null;
                sum += p;
            }
            if (sum is < 0.9 or > 1.1) return null;
            result[w] = d[targets[w]] / sum;
        }
        return result;
    }

    /// <summary>v(S) for the coalition whose members are the set bits of <paramref name="mask"/>; a miner without a
    /// valid answer contributes nothing.</summary>
    public static double CoalitionValue(IReadOnlyList<double[]?> probabilities, int mask)
    {
        var members = new List<double[]>();
        for (var i = 0; i < probabilities.Count; i++)
            if ((mask >> i & 1) == 1 && probabilities[i] is { } p) members.Add(p);
        var windows = probabilities.FirstOrDefault(p => p is not null)?.Length ?? 0;
        if (members.Count == 0 || windows == 0) return 0;
        const double uniform = 1.0 / CharVocabulary.Size;
        var k = members.Count + 1;   // the uniform distribution is always a component
        var weights = Enumerable.Repeat(1.0 / k, k).ToArray();
        var next = new double[k];
        for (var iteration = 0; iteration < EmIterations; iteration++)
        {
            Array.Clear(next);
            for (var w = 0; w < windows; w++)
            {
                var mix = weights[0] * uniform;
                for (var m = 0; m < members.Count; m++) mix += weights[m + 1] * members[m][w];
                next[0] += weights[0] * uniform / mix;
                for (var m = 0; m < members.Count; m++) next[m + 1] += weights[m + 1] * members[m][w] / mix;
            }
            for (var j = 0; j < k; j++) weights[j] = next[j] / windows;
        }
        double total = 0;
        for (var w = 0; w < windows; w++)
        {
            var mix = weights[0] * uniform;
            for (var m = 0; m < members.Count; m++) mix += weights[m + 1] * members[m][w];
            total += Math.Log(mix / uniform);
        }
        return total / windows;
    }

    /// <summary>Every miner's Shapley value: exact for up to <see cref="ExactUpTo"/> miners, otherwise
    /// <paramref name="permutations"/> sampled orders, with the Hoeffding bound that holds for each miner with
    /// probability 95 % (marginal contributions lie in [−ln 96, ln 96] as v lies in [0, ln 96] up to EM's tolerance).</summary>
    public static ShapleyScores Shapley(IReadOnlyList<double[]?> probabilities, int permutations = 400, int seed = 0)
    {
        var n = probabilities.Count;
        if (n == 0) return new ShapleyScores([], 0, true);
        if (n <= ExactUpTo)
            return new ShapleyScores(ShapleyModel.exact(n, FuncConvert.FromFunc<int, double>(mask => CoalitionValue(probabilities, mask))), 0, true);
        // permutations revisit coalitions (every one starts from ∅, many share prefixes): evaluate each once
        var cache = new Dictionary<int, double>();
        var value = FuncConvert.FromFunc<int, double>(mask => cache.TryGetValue(mask, out var v) ? v : cache[mask] = CoalitionValue(probabilities, mask));
        var estimates = ShapleyModel.sample(n, value, permutations, 2 * Math.Log(CharVocabulary.Size), 0.05, new Random(seed));
        return new ShapleyScores(estimates.Select(e => e.Mean).ToArray(), estimates.Max(e => e.Bound), false);
    }
}
