/// <summary>Shapley values of a cooperative game, exactly and by permutation sampling. An analysis model in real
/// numbers (not consensus code): a validator scoring n miners by the loss reduction each brings to its combined
/// prediction is such a game, with v(S) the reduction achieved by the subset S.</summary>
/// <remarks>Players are 0 … n − 1 and a coalition is a bit mask (bit i set = player i in), so n ≤ 30.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Analysis.Shapley

open System

/// <summary>φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S)): each player's marginal contribution
/// averaged over all orders of joining. Evaluates v on all 2^n coalitions once; exact up to floating-point rounding.
/// Satisfies efficiency (Σ φ = v(N) − v(∅)), symmetry, the null-player property and additivity.</summary>
let exact (n: int) (value: int -> float) : float[] =
    if n < 0 || n > 24 then invalidArg (nameof n) $"exact Shapley values are for 0 to 24 players (2^n evaluations), got {n}"
    let values = Array.init (1 <<< n) value
    // weight[s] = s! (n − s − 1)! / n!, computed as a running product to stay exact in range
    let weight =
        Array.init (max n 1) (fun s ->
            let mutable w = 1.0 / float n
            for k in 1 .. s do w <- w * float k / float (n - k)
            w)
    Array.init n (fun i ->
        let bit = 1 <<< i
        let mutable total = 0.0
        for coalition in 0 .. (1 <<< n) - 1 do
            if coalition &&& bit = 0 then
                total <- total + weight[Numerics.BitOperations.PopCount(uint32 coalition)] * (values[coalition ||| bit] - values[coalition])
        total)

/// An estimate with its error bound: with probability at least 1 − δ, |Mean − φ| ≤ Bound.
type Estimate = { Mean: float; Bound: float; Samples: int }

/// <summary>Permutation sampling: for each of <paramref name="permutations"/> random orders, every player's marginal
/// contribution when it joins; φ̂_i is the mean. If every marginal contribution lies in an interval of width
/// <paramref name="range"/>, Hoeffding's inequality gives P(|φ̂_i − φ_i| ≥ ε) ≤ 2·exp(−2mε²/range²), so
/// Bound = range·sqrt(ln(2/δ) / 2m) holds for each player with probability 1 − δ. Costs n evaluations of v per
/// permutation.</summary>
let sample (n: int) (value: int -> float) (permutations: int) (range: float) (delta: float) (rng: Random) : Estimate[] =
    if permutations <= 0 then invalidArg (nameof permutations) "at least one permutation"
    if delta <= 0.0 || delta >= 1.0 then invalidArg (nameof delta) "a probability in (0, 1)"
    let sums = Array.zeroCreate<float> n
    let order = Array.init n id
    for _ in 1 .. permutations do
        rng.Shuffle order
        let mutable coalition = 0
        let mutable before = value 0
        for player in order do
            coalition <- coalition ||| (1 <<< player)
            let after = value coalition
            sums[player] <- sums[player] + (after - before)
            before <- after
    let bound = range * sqrt (log (2.0 / delta) / (2.0 * float permutations))
    sums |> Array.map (fun s -> { Mean = s / float permutations; Bound = bound; Samples = permutations })
