namespace Bittensor.Chain;

/// <summary>
/// How the bittensor SDK turns a validator's float weights into the u16 vector <c>set_weights</c> carries
/// (<c>convert_weights_and_uids_for_emit</c>). Not consensus code: this runs in the validator, in IEEE doubles, exactly
/// as Python computes it, so the same scores give the same extrinsic.
/// </summary>
public static class WeightConversion
{
    /// <summary>Scores as proportions summing to 1 (the template's L1 normalisation); all-zero scores become uniform.
    /// Negative or non-finite scores are an error.</summary>
    public static double[] Normalize(IReadOnlyList<double> scores)
    {
        if (scores.Any(s => !double.IsFinite(s) || s < 0)) throw new ArgumentException("scores must be finite and non-negative", nameof(scores));
        var sum = scores.Sum();
        return sum == 0 ? scores.Select(_ => 1.0 / scores.Count).ToArray() : scores.Select(s => s / sum).ToArray();
    }

    /// <summary>Each weight divided by the largest, times 65 535, rounded half to even (Python's <c>round</c>); entries
    /// that round to 0 are dropped. All-zero weights give empty vectors. No normalisation to a sum of 1: the chain
    /// max-upscales and the epoch normalises rows.</summary>
    public static (ushort[] Uids, ushort[] Values) ConvertForEmit(IReadOnlyList<ushort> uids, IReadOnlyList<double> weights)
    {
        if (uids.Count != weights.Count) throw new ArgumentException($"{uids.Count} uids but {weights.Count} weights");
        if (weights.Any(w => !double.IsFinite(w) || w < 0)) throw new ArgumentException("weights must be finite and non-negative", nameof(weights));
        if (weights.Sum() == 0) return ([], []);
        var max = weights.Max();
        var pairs = uids.Zip(weights, (u, w) => (Uid: u, Value: (ushort)Math.Round(w / max * ushort.MaxValue, MidpointRounding.ToEven)))
            .Where(p => p.Value != 0).ToArray();
        return (pairs.Select(p => p.Uid).ToArray(), pairs.Select(p => p.Value).ToArray());
    }
}
