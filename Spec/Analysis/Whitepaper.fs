/// <summary>The 2020 whitepaper's incentive model ("Bittensor: A Peer-to-Peer Intelligence Market"), in real numbers:
/// ranking, trust, the sigmoid consensus, incentive, bonds and the stake update, and the paper's cabal simulation.
/// An analysis model, not the chain's consensus (which is <c>Bittensor.Spec.Yuma</c>).</summary>
/// <remarks>Source: <c>shared/notes/paper.md</c> §1.1–1.4 and §1.8 (equations 3–8).</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Analysis.Whitepaper

open MathNet.Numerics.LinearAlgebra

let private sigmoid (x: float) = 1.0 / (1.0 + exp -x)

/// <summary>Ranking R = Wᵀ·S: each peer's rank is the stake-weighted sum of the weights pointing at it (eq. 1).</summary>
let ranking (weights: Matrix<float>) (stake: Vector<float>) : Vector<float> = weights.TransposeThisAndMultiply stake

/// <summary>Trust matrix: t_ij = 1 when peer i has a non-zero weight on j (eq. 3).</summary>
let trust (weights: Matrix<float>) : Matrix<float> = weights.Map(fun w -> if w <> 0.0 then 1.0 else 0.0)

/// <summary>Consensus C = σ(ρ·(Tᵀ·S − κ)): near 1 for peers trusted by more than κ of the stake (eq. 4); the paper
/// uses ρ = 10, κ = 0.5.</summary>
let consensus (rho: float) (kappa: float) (weights: Matrix<float>) (stake: Vector<float>) : Vector<float> =
    (trust weights).TransposeThisAndMultiply(stake).Map(fun x -> sigmoid (rho * (x - kappa)))

/// <summary>Incentive I = R ∘ C: rankings scaled by consensus (eq. 5).</summary>
let incentive (rho: float) (kappa: float) (weights: Matrix<float>) (stake: Vector<float>) : Vector<float> =
    (ranking weights stake).PointwiseMultiply(consensus rho kappa weights stake)

/// The model's state: stake per peer and the bond matrix (b_ij: peer i's bonds in peer j).
type State = { Stake: Vector<float>; Bonds: Matrix<float> }

/// <summary>One step: bonds grow by ΔB_ij = w_ij·s_i (eq. 7, "peers bond to those they rank"); each peer keeps half
/// of its own inflation and the other half goes to its bond holders in proportion to their share of its bonds,
/// ΔS_i = 0.5·Σ_j (b_ij / Σ_k b_kj)·I_j + 0.5·I_i; then S ← S + τ·ΔS (eq. 8).</summary>
/// <remarks>The paper writes ΔS = 0.5·Bᵀ·I + 0.5·I with B "the share of bonds peer i owns in peer j"; we read the
/// shares as column-normalised bonds and the product as paying each holder, which is what "redistributed through
/// bonds" requires (a literal Bᵀ·I with un-normalised b_ij pays the bonded peer, not the bond holder).</remarks>
let step (rho: float) (kappa: float) (tau: float) (weights: Matrix<float>) (state: State) : State =
    let bondsDelta = Matrix.Build.DenseOfRowVectors(Array.init weights.RowCount (fun i -> weights.Row(i) * state.Stake[i]))
    let bonds = state.Bonds + bondsDelta
    let columnTotals = bonds.ColumnSums()
    let shares = bonds.MapIndexed(fun _ j b -> if columnTotals[j] > 0.0 then b / columnTotals[j] else 0.0)
    let inflation = incentive rho kappa weights state.Stake
    let stakeDelta = 0.5 * (shares * inflation) + 0.5 * inflation
    { Stake = state.Stake + tau * stakeDelta; Bonds = bonds }

/// <summary>The paper's cabal simulation (§10): an honest graph A and a disjoint cabal B, each ranking only itself
/// (rank_X = S_X), trusted as trust_X = σ(temperature·(S_X / total − 0.5)); every block each side gains
/// τ·total·I_X / (I_A + I_B) with I_X = rank_X·trust_X. Returns (block, the cabal's share of stake after the
/// block).</summary>
/// <example>With τ = 0.1, temperature 10 and stakes 0.51 / 0.49 the first rows are 0.4877323388820201,
/// 0.4849535784321247, 0.4815511535094221, 0.477389901500398, 0.4723093486843246 — the paper's printed table.</example>
let cabalSimulation (honestStake: float) (cabalStake: float) (tau: float) (temperature: float) (blocks: int) : (int * float)[] =
    let mutable a = honestStake
    let mutable b = cabalStake
    [| for block in 0 .. blocks - 1 do
         let total = a + b
         let trustA = sigmoid (temperature * (a / total - 0.5))
         let trustB = sigmoid (temperature * (b / total - 0.5))
         let incentiveA, incentiveB = a * trustA, b * trustB
         let totalIncentive = incentiveA + incentiveB
         a <- a + tau * total * incentiveA / totalIncentive
         b <- b + tau * total * incentiveB / totalIncentive
         yield block, b / (a + b) |]
