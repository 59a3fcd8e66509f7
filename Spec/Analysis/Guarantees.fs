/// <summary>The Yuma Consensus document's guarantee maps, recomputed with the spec's exact fixed-point epoch: how much
/// honest utility an honest majority needs to keep its share of stake against a cabal that weights itself, as the
/// weight spread σ, the bonds penalty β and the validator share ξ vary.</summary>
/// <remarks>Setup (<c>shared/notes/paper.md</c> §3.2): N uids of which V are validators; the first
/// ⌊S_H·V⌋ validators and ⌊S_H·(N−V)⌋ servers are honest (never 0 or all, like the chain's test helper). Validator stake
/// S′ ~ N(1, σ_S²) clamped at 0, then scaled so the honest side holds S_H and the cabal 1 − S_H. Each weight
/// W′ ~ N(1, σ_W²) clamped at 0, then scaled per quadrant: an honest validator gives W_H to honest servers and 1 − W_H
/// to the cabal's; a cabal validator gives W_C to its own servers and 1 − W_C to honest ones. Rows are max-upscaled to
/// u16 as <c>set_weights</c> stores them, bonds start empty (one epoch, EMA ignored), and the spec's
/// <c>Epoch.run</c> computes incentive I and dividends D (its I32F32 values, before the u16 storage floor). The honest side's emission is
/// E_H = Σ_(i honest) ξ·D_i + (1 − ξ)·I_i; honesty keeps its stake iff E_H ≥ S_H. The cabal picks W_C to hurt most,
/// so the <i>honest utility needed</i> is the least W_H (on a grid) for which E_H ≥ S_H holds for every W_C on its
/// grid. The random draws are real numbers (this is analysis code); the epoch itself is the bit-exact spec.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Analysis.Guarantees

open Bittensor.Spec.Yuma

/// One point of a guarantee map.
type Setting =
    { /// N, uids in the subnet.
      Uids: int
      /// V, validators among them (the first V uids).
      Validators: int
      /// S_H, the honest share of stake.
      HonestStake: float
      /// σ_S, the spread of validator stake around 1.
      StakeSpread: float
      /// σ_W, the spread of weights around 1 (the document's "weight deviation", in units of the mean μ).
      WeightSpread: float
      /// β, the bonds penalty in [0, 1].
      BondsPenalty: float
      /// ξ, the share of emission that goes to validators as dividends.
      ValidatorShare: float
      /// κ, the consensus majority.
      Kappa: float
      /// Yuma 3 bonds (true) or the original Yuma bonds the document measured (false).
      Yuma3: bool
      /// Seed of the random draws; the same seed gives the same graph for every (W_H, W_C).
      Seed: int }

/// The document's defaults: N = 512, 64 validators, S_H = 0.6, σ_S = 0.3, σ_W = 0.4, β = 1, ξ = 0.5, κ = 0.5, original
/// Yuma.
let documentDefaults: Setting =
    { Uids = 512; Validators = 64; HonestStake = 0.6; StakeSpread = 0.3; WeightSpread = 0.4; BondsPenalty = 1.0
      ValidatorShare = 0.5; Kappa = 0.5; Yuma3 = false; Seed = 1 }

/// A count that is the given share of total, but never 0 or total (both sides always exist).
let private nonExtremeShare (share: float) (total: int) = max 1 (min (total - 1) (int (share * float total)))

/// Standard normal draws (Box–Muller) from a seeded generator, so that maps are reproducible.
let private normals (random: System.Random) (count: int) : float[] =
    Array.init count (fun _ ->
        let u1 = 1.0 - random.NextDouble()
        let u2 = random.NextDouble()
        sqrt (-2.0 * log u1) * cos (2.0 * System.Math.PI * u2))

/// Scales non-negative values to sum to total (equal shares when all are 0).
let private scaleTo (total: float) (values: float[]) =
    let sum = Array.sum values
    if sum > 0.0 then values |> Array.map (fun v -> v * total / sum)
    else Array.create values.Length (total / float values.Length)

/// The u16 row <c>set_weights</c> stores: each weight divided by the row's largest, times 65535, rounded.
let private maxUpscale (row: float[]) : uint16[] =
    let largest = Array.max row
    if largest <= 0.0 then Array.zeroCreate row.Length
    else row |> Array.map (fun w -> uint16 (System.Math.Round(w / largest * 65535.0, System.MidpointRounding.AwayFromZero)))

let private toU16Proportion (x: float) = uint16 (System.Math.Round(System.Math.Clamp(x, 0.0, 1.0) * 65535.0))

/// The honest side's share of emission, E_H, after one epoch with honest utility W_H and cabal self-weight W_C.
let honestEmission (setting: Setting) (honestUtility: float) (cabalSelfWeight: float) : float =
    let n, v = setting.Uids, setting.Validators
    let servers = n - v
    let honestValidators = nonExtremeShare setting.HonestStake v
    let honestServers = nonExtremeShare setting.HonestStake servers
    let isHonest uid = if uid < v then uid < honestValidators else uid - v < honestServers
    let random = System.Random(setting.Seed)
    let spread sigma count = normals random count |> Array.map (fun z -> max 0.0 (1.0 + sigma * z))
    let stakeDraws = spread setting.StakeSpread v
    let honestStake = scaleTo setting.HonestStake stakeDraws[.. honestValidators - 1]
    let cabalStake = scaleTo (1.0 - setting.HonestStake) stakeDraws[honestValidators ..]
    let stake = Array.append honestStake cabalStake
    let weightRow validator =
        let draws = spread setting.WeightSpread servers
        let toHonest, toCabal =
            if isHonest validator then honestUtility, 1.0 - honestUtility else 1.0 - cabalSelfWeight, cabalSelfWeight
        Array.append (scaleTo toHonest draws[.. honestServers - 1]) (scaleTo toCabal draws[honestServers ..])
    let rows = Array.init v weightRow
    let block = 10_000UL
    let hp =
        { Examples.productionDefaults with
            Kappa = toU16Proportion setting.Kappa
            BondsPenalty = toU16Proportion setting.BondsPenalty
            MaxAllowedValidators = uint16 v
            Yuma3 = setting.Yuma3 }
    let state =
        { N = n
          Block = block
          LastUpdate = Array.create n block
          BlockAtRegistration = Array.zeroCreate n
          AlphaStake = Array.init n (fun uid -> if uid < v then uint64 (stake[uid] * 1e12) else 0UL)
          TaoStake = Array.zeroCreate n
          OwnerUid = None
          ValidatorPermits = Array.init n (fun uid -> uid < v)
          Weights =
            Array.init n (fun uid ->
                if uid >= v then [||]
                else
                    maxUpscale rows[uid]
                    |> Array.mapi (fun s value -> ({ Uid = v + s; Value = value }: StoredEntry))
                    |> Array.filter (fun e -> e.Value > 0us))
          Bonds = Array.create n [||]
          CommitBlocks = Array.create n System.UInt64.MaxValue
          LastMechanismStepBlock = 0UL
          RaoEmission = 1_000_000_000UL }
    let output = Epoch.run hp state
    // The epoch's I32F32 incentive and dividends, before they are floored to u16 for storage: flooring 0.0022 to
    // 146/65535 would take 0.3 % from a side with hundreds of uids and bias the result by a grid point.
    let proportion (x: Bittensor.Spec.Fixed.I32F32) = float x.Bits / 4294967296.0
    let xi = setting.ValidatorShare
    Seq.init n id
    |> Seq.filter isHonest
    |> Seq.sumBy (fun uid ->
        xi * proportion output.Trace.Dividends[uid] + (1.0 - xi) * proportion output.Trace.Incentive[uid])

/// The cabal's self-weights tried against each honest utility: 0, 0.1, …, 1.
let cabalSelfWeights: float[] = Array.init 11 (fun k -> float k / 10.0)

/// Whether honesty keeps its stake with honest utility W_H against every cabal self-weight on the grid.
let retained (setting: Setting) (honestUtility: float) : bool =
    cabalSelfWeights |> Array.forall (fun wc -> honestEmission setting honestUtility wc >= setting.HonestStake)

/// <summary>The least honest utility on the grid 0.50, 0.51, …, 1.00 that keeps the honest stake, or None when even
/// W_H = 1 does not. Binary search: it assumes, as the document's maps show, that more honest utility never hurts.</summary>
let honestUtilityNeeded (setting: Setting) : float option =
    let utility k = float (50 + k) / 100.0
    if not (retained setting 1.0) then None
    else
        // Invariant: utility hi retains; utility lo does not, or lo = −1 (below the grid).
        let mutable lo, hi = -1, 50
        while hi - lo > 1 do
            let mid = (lo + hi) / 2
            if retained setting (utility mid) then hi <- mid else lo <- mid
        Some(utility hi)

/// One row of a reproduced result: the parameter varied, its value, what the document reports and what we compute.
type ResultRow = { Varied: string; Value: float; DocumentNeeds: float; Needed: float option }

/// The document's three sweeps (honest stake 0.6): weight spread σ_W ∈ {0, 0.2, 0.4} (60 %, 67 %, 73 %), bonds penalty
/// β ∈ {0, 0.5, 1} (78 %, 76 %, 73 %) and validator share ξ ∈ {0, 0.25, 0.5} (82 %, 78 %, 73 %), all else at the
/// document's defaults.
let documentSweeps (baseSetting: Setting) : (string * float * float * Setting) list =
    [ for sigma, doc in [ 0.0, 0.60; 0.2, 0.67; 0.4, 0.73 ] -> "weight spread σ_W", sigma, doc, { baseSetting with WeightSpread = sigma }
      for beta, doc in [ 0.0, 0.78; 0.5, 0.76; 1.0, 0.73 ] -> "bonds penalty β", beta, doc, { baseSetting with BondsPenalty = beta }
      for xi, doc in [ 0.0, 0.82; 0.25, 0.78; 0.5, 0.73 ] -> "validator share ξ", xi, doc, { baseSetting with ValidatorShare = xi } ]

/// Computes every sweep of <see cref="documentSweeps"/>.
let reproduce (baseSetting: Setting) : ResultRow list =
    documentSweeps baseSetting
    |> List.map (fun (varied, value, doc, setting) ->
        { Varied = varied; Value = value; DocumentNeeds = doc; Needed = honestUtilityNeeded setting })

/// The honest emission the cabal's best self-weight leaves: min over the W_C grid of E_H(W_H, W_C).
let worstCaseHonestEmission (setting: Setting) (honestUtility: float) : float =
    cabalSelfWeights |> Array.map (honestEmission setting honestUtility) |> Array.min

/// One cell of the κ map: the consensus majority κ, the honest share of stake S_H, and the least honest utility that
/// keeps it (None: not even W_H = 1 does).
type KappaCell = { Kappa: float; HonestStake: float; Needed: float option }

/// <summary>The document's κ results (<c>shared/notes/paper.md</c> §3.2): with κ = 0.5 an honest side with 70 % of the
/// stake is safe once W_H passes 75 %; κ = 0.4 needs more honest utility than 0.5 when S_H &lt; 0.6 (0.51, 0.55);
/// κ = 0.6 gives no protection for S_H &lt; 0.6 even with W_H = 1. This map computes the utility needed for each
/// κ ∈ {0.4, 0.5, 0.6} and S_H ∈ {0.51, 0.55, 0.6, 0.7}, everything else as in <paramref name="baseSetting"/>.</summary>
let kappaMap (baseSetting: Setting) : KappaCell list =
    [ for kappa in [ 0.4; 0.5; 0.6 ] do
        for stake in [ 0.51; 0.55; 0.6; 0.7 ] ->
            { Kappa = kappa; HonestStake = stake
              Needed = honestUtilityNeeded { baseSetting with Kappa = kappa; HonestStake = stake } } ]
