/// <summary>The stake-weighted median, the heart of Yuma consensus.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Math.WeightedMedian

open Bittensor.Spec.Fixed

/// <summary>The stake-weighted median of <paramref name="score"/> over the voters in
/// <paramref name="partitionIdx"/>: the score at which the stake accumulated from below first exceeds
/// <paramref name="minority"/>, found by a deterministic quick-select with the <b>middle element as pivot</b>.</summary>
/// <remarks>
/// <code>
/// loop over the current partition P (initially partitionIdx), with stake interval [lo, hi]:
///   |P| = 0 → 0;  |P| = 1 → score of its only voter
///   pivot = score[P[⌊|P|/2⌋]]
///   lower = voters of P with score &lt; pivot (in P's order), loStake = Σ stake (saturating)
///   upper = voters of P with score &gt; pivot,               hiStake = Σ stake (saturating)
///   (voters whose score equals the pivot go to neither side: they form one block)
///   if minority &lt; lo + loStake and lower ≠ ∅  → P = lower, hi = lo + loStake
///   elif hi − hiStake ≤ minority and upper ≠ ∅ → P = upper, lo = hi − hiStake
///   else → pivot
///   after more than |partitionIdx| narrowings → 0 (a safety limit that valid input never reaches)
/// </code>
/// The strict &lt; on the lower side and ≤ on the upper side are the tie rule. Mismatched stake and score lengths
/// give 0; an index past the end of either reads as 0.
/// Source: <c>weighted_median</c> (the iterative version with the safety limit).
/// </remarks>
/// <example>Stake [0.51, 0.49], score [0.5, 1], minority 1 − 0.51 = 0.49 → 0.5.</example>
let weightedMedian (stake: I32F32[]) (score: I32F32[]) (partitionIdx: int[]) (minority: I32F32) (partitionLo: I32F32) (partitionHi: I32F32) =
    let zero = I32F32.Zero
    let scoreOf = Vector.getOrZero score
    let stakeOf = Vector.getOrZero stake
    let stakeOfAll (voters: int[]) = voters |> Array.fold (fun acc i -> Fixed.saturatingAdd acc (stakeOf i)) zero
    let iterationLimit = partitionIdx.Length
    let rec search (partition: int[]) lo hi iterations =
        match partition.Length with
        | 0 -> zero
        | 1 -> scoreOf partition[0]
        | n ->
            let pivot = scoreOf partition[n / 2]
            let lower = partition |> Array.filter (fun i -> scoreOf i < pivot)
            let upper = partition |> Array.filter (fun i -> scoreOf i > pivot)
            let loStake, hiStake = stakeOfAll lower, stakeOfAll upper
            let narrowTo next nextLo nextHi = if iterations + 1 > iterationLimit then zero else search next nextLo nextHi (iterations + 1)
            if minority < Fixed.saturatingAdd lo loStake && lower.Length > 0 then narrowTo lower lo (Fixed.saturatingAdd lo loStake)
            elif Fixed.saturatingSub hi hiStake <= minority && upper.Length > 0 then narrowTo upper (Fixed.saturatingSub hi hiStake) hi
            else pivot
    if stake.Length <> score.Length then zero else search partitionIdx partitionLo partitionHi 0

/// <summary>The weighted median of one column given the stakes of the voters that take part: the stakes are
/// normalised, σ = Σ normalised stake (possibly slightly below 1), minority = σ − κ (saturating, may be negative), and
/// the median is searched over all voters with [lo, hi] = [0, σ].</summary>
let ofColumn (useStake: I32F32[]) (useScore: I32F32[]) (majority: I32F32) =
    let normalized = Vector.normalize useStake
    let stakeSum = Vector.sum normalized
    let minority = Fixed.saturatingSub stakeSum majority
    weightedMedian normalized useScore (Array.init normalized.Length id) minority I32F32.Zero stakeSum
