/// <summary>Epoch steps 11–12: bonds and dividends, in both eras (Yuma 3 and the original Yuma).</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Bonds

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// <summary>The block bonds are measured from: b − τ (saturating) before the first mechanism step (and always before
/// 2025-10), else <c>LastMechansimStepBlock</c> + 1.</summary>
let lastTempo (hp: Hyperparameters) (state: EpochState) : uint64 =
    if state.LastMechanismStepBlock = 0UL || hp.Era = Before2025_10 then (if state.Block > uint64 hp.Tempo then state.Block - uint64 hp.Tempo else 0UL)
    else state.LastMechanismStepBlock + 1UL

/// <summary>Drops bonds (i, j) when uid j registered at or after the last tempo (a new holder of uid j must not inherit
/// the old holder's bonds). A missing registration block reads as 0.</summary>
let dropRecentlyRegistered (hp: Hyperparameters) (state: EpochState) (bonds: Sparse.Matrix) : Sparse.Matrix =
    Sparse.scalarVecMask (fun last registered -> last <= registered) (lastTempo hp state) state.BlockAtRegistration bonds

/// <summary>The liquid-alpha coefficient matrix (n rows × |C| columns): α_ij = alphaSigmoid(C_j, W^b_ij, B_ij).
/// W^b_ij and B_ij are found by walking each row with a cursor that only moves forward, which <b>assumes rows sorted by
/// column</b>: in an unsorted row (weights keep submission order) a later-looked-up column can read as 0. The chain
/// does exactly this. Mismatched row counts give no rows. Source: <c>compute_liquid_alpha_values_sparse</c>.</summary>
let liquidAlphas (hp: Hyperparameters) (weightsForBonds: Sparse.Matrix) (bonds: Sparse.Matrix) (consensus: I32F32[]) : I32F32[][] =
    let low, high = Conversions.u16ProportionToFixed hp.AlphaLow, Conversions.u16ProportionToFixed hp.AlphaHigh
    let steepness = Fixed.ofInteger<I32F32> (bigint (int hp.AlphaSigmoidSteepness))
    /// Reads column j of a sorted row through a forward-only cursor (the chain's peekable iterator).
    let cursorReader (row: Sparse.Entry[]) =
        let mutable position = 0
        fun (j: int) ->
            while position < row.Length && row[position].Col < j do
                position <- position + 1
            if position < row.Length && row[position].Col = j then row[position].Value else I32F32.Zero
    if weightsForBonds.Length <> bonds.Length then [||]
    else
        Array.map2 (fun wRow bRow ->
            let weightAt, bondAt = cursorReader wRow, cursorReader bRow
            consensus |> Array.mapi (fun j c ->
                let w = weightAt j
                let b = bondAt j
                Transcendental.alphaSigmoid c w b low high steepness)) weightsForBonds bonds

/// <summary>EMA of bonds toward W^b: with liquid alpha on and some C_j ≠ 0, the per-bond liquid alpha
/// (<see cref="M:Bittensor.Spec.Math.Sparse.matEmaAlpha"/>); otherwise the plain α = 1 − BondsMovingAverage / 10^6
/// (<see cref="M:Bittensor.Spec.Math.Sparse.matEma"/>). Source: <c>ema_bonds_liquid_or_normal_sparse</c>.</summary>
let ema (hp: Hyperparameters) (weightsForBonds: Sparse.Matrix) (bonds: Sparse.Matrix) (consensus: I32F32[]) : Sparse.Matrix =
    if hp.LiquidAlpha && consensus |> Array.exists (fun c -> c <> I32F32.Zero) then
        Sparse.matEmaAlpha weightsForBonds bonds (liquidAlphas hp weightsForBonds bonds consensus)
    else Sparse.matEma weightsForBonds bonds (Conversions.emaAlphaOfBondsMovingAverage hp.BondsMovingAverage)

/// The bonds an era computes: the EMA bonds, the values stored for the next epoch (in [0, 1]), and the dividends.
type BondsResult = { EmaBonds: Sparse.Matrix; StoredBonds: Sparse.Matrix; Dividends: I32F32[] }

/// <summary>Yuma 3: B_ij = bond_u16 / 65535 (truncating), recently registered dropped; E = EMA(W^b, B);
/// D_i = Σ_j (E col-normalised)_ij · I_j (zero products dropped) times a_i (checked, 0 on overflow), normalised.
/// Stored bonds are E itself (un-normalised, per-pair, capped at 1).</summary>
let yuma3 (hp: Hyperparameters) (state: EpochState) (weightsForBonds: Sparse.Matrix) (consensus: I32F32[]) (incentive: I32F32[]) (activeStake: I32F32[]) =
    let n = state.N
    let bonds = Weights.load n false Conversions.u16ProportionToFixed state.Bonds |> dropRecentlyRegistered hp state
    let emaBonds = ema hp weightsForBonds bonds consensus
    let bondsPerValidator = Sparse.rowSum (Sparse.matVecMul (Sparse.colNormalize emaBonds n) incentive)
    { EmaBonds = emaBonds; StoredBonds = emaBonds; Dividends = Vector.vecMul bondsPerValidator activeStake |> Vector.normalize }

/// <summary>Original Yuma: B_ij = bond_u16 as an integer, recently registered dropped, column-normalised;
/// ΔB = W^b ∘ a (row i scaled by a_i), column-normalised; E = α·ΔB + (1 − α)·B column-normalised;
/// D = normalize(E · I). Stored bonds are E with each column divided by its maximum.</summary>
let original (hp: Hyperparameters) (state: EpochState) (weightsForBonds: Sparse.Matrix) (incentive: I32F32[]) (activeStake: I32F32[]) =
    let n = state.N
    let bonds = Weights.load n false Conversions.u16ToFixed state.Bonds |> dropRecentlyRegistered hp state |> fun b -> Sparse.colNormalize b n
    let delta = Sparse.colNormalize (Sparse.rowHadamard weightsForBonds activeStake) n
    let alpha = Conversions.emaAlphaOfBondsMovingAverage hp.BondsMovingAverage
    let emaBonds = Sparse.colNormalize (Sparse.matEma delta bonds alpha) n
    { EmaBonds = emaBonds; StoredBonds = Sparse.colMaxUpscale emaBonds n; Dividends = Sparse.matmulTranspose emaBonds incentive |> Vector.normalize }
