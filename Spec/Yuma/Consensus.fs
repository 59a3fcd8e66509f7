/// <summary>Epoch steps 6–10: consensus, clipping, validator trust, incentive and the weights bonds follow.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Consensus

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// <summary>C_j = the active-stake-weighted κ-median of column j (<see cref="M:Bittensor.Spec.Math.Sparse.weightedMedianCol"/>),
/// κ = Kappa / 65535. Source: <c>weighted_median_col_sparse</c>.</summary>
let consensus (hp: Hyperparameters) (n: int) (activeStake: I32F32[]) (weights: Sparse.Matrix) : I32F32[] =
    Sparse.weightedMedianCol activeStake weights n (Conversions.u16ProportionToFixed hp.Kappa)

/// <summary>W̄ = W clipped at C column-wise (<see cref="M:Bittensor.Spec.Math.Sparse.colClip"/>).</summary>
let clip (weights: Sparse.Matrix) (consensus: I32F32[]) : Sparse.Matrix = Sparse.colClip weights consensus

/// <summary>VT_i = Σ_j W̄_ij: how much of validator i's weight survived clipping.</summary>
let validatorTrust (clipped: Sparse.Matrix) : I32F32[] = Sparse.rowSum clipped

/// <summary>R_j = Σ_i a_i · W̄_ij (saturating, row order): the active stake behind each miner after clipping.
/// Before clipping (W instead of W̄) these are the chain's old "preranks".</summary>
let ranks (n: int) (activeStake: I32F32[]) (weights: Sparse.Matrix) : I32F32[] = Sparse.matmul weights activeStake n

/// <summary>I = normalize(R) over the clipped ranks. Incentive sums to 1, or is all 0.</summary>
let incentive (clippedRanks: I32F32[]) : I32F32[] = Vector.normalize clippedRanks

/// <summary>Before 2025-10: T_j = R_j / preR_j (safe_div, 0 where nobody supports j), how much of a miner's support
/// survived clipping.</summary>
let trust (clippedRanks: I32F32[]) (preranks: I32F32[]) : I32F32[] = Vector.vecdiv clippedRanks preranks

/// <summary>W^b = W + β · (W̄ − W), β = BondsPenalty / 65535: β = 0 keeps W, β = 1 takes W̄ (both unchanged, in
/// stored order); otherwise positive cells in column order. Source: <c>interpolate_sparse</c>.</summary>
let weightsForBonds (hp: Hyperparameters) (n: int) (weights: Sparse.Matrix) (clipped: Sparse.Matrix) : Sparse.Matrix =
    Sparse.interpolate weights clipped n (Conversions.u16ProportionToFixed hp.BondsPenalty)
