/// <summary>One Yuma epoch as the chain runs it today (<c>epoch_mechanism</c>, sparse): the steps in order.</summary>
/// <remarks>Each step is a pure function of the hyperparameters, the state and the earlier steps' results; see the
/// step modules for formulas and edge cases, and <c>docs/epoch.md</c> for the walkthrough.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Epoch

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

let private toStored (m: Sparse.Matrix) : StoredEntry[][] =
    m |> Array.map (Array.map (fun e -> { Uid = e.Col; Value = Conversions.fixedProportionToU16 e.Value }))

let private firstN n (v: 'a[]) = Array.init n (fun i -> if i < v.Length then v[i] else Unchecked.defaultof<'a>)

/// <summary>Runs one epoch. Pure: the same inputs always give the same outputs.</summary>
let run (hp: Hyperparameters) (state: EpochState) : EpochOutput =
    let state = if hp.Era = Before2025_10 then { state with OwnerUid = None } else state // no owner rules before 2026-03
    let n = state.N
    let inactive = Activity.inactive hp state                                                   // 1
    let totalStake = Stake.total hp state                                                       // 2
    let stake = Stake.weights hp state totalStake
    let permits = Stake.storedPermits state                                                     // 3
    let newPermits = Stake.newPermits hp state stake
    let activeStake = Stake.active stake inactive permits                                       // 4
    let weights = Weights.masked hp state permits                                               // 5
    let consensus = Consensus.consensus hp n activeStake weights                                // 6
    let clipped = Consensus.clip weights consensus                                              // 7
    let validatorTrust = Consensus.validatorTrust clipped                                       // 8
    let clippedRanks = Consensus.ranks n activeStake clipped                                    // 9
    let incentive = Consensus.incentive clippedRanks
    let weightsForBonds = Consensus.weightsForBonds hp n weights clipped                        // 10
    let bonds =                                                                                 // 11–12
        if hp.Yuma3 then Bonds.yuma3 hp state weightsForBonds consensus incentive activeStake
        else Bonds.original hp state weightsForBonds incentive activeStake
    let shares = Emission.shares incentive bonds.Dividends stake activeStake                    // 13
    let storedBonds = toStored bonds.StoredBonds
    let legacy = hp.Era = Before2025_10
    let legacyOr (current: uint16) (compute: unit -> uint16[]) = if legacy then compute () else Array.create n current
    { Active = inactive |> Array.map not |> firstN n                                            // 14–16
      StakeWeight = Conversions.vecFixedProportionsToU16 stake
      Consensus = Conversions.vecFixedProportionsToU16 consensus
      Incentive = Conversions.vecFixedProportionsToU16 incentive
      Dividends = Conversions.vecFixedProportionsToU16 bonds.Dividends |> firstN n
      ValidatorTrust = Conversions.vecFixedProportionsToU16 validatorTrust
      ServerEmission = Emission.amounts state.RaoEmission shares.Server |> firstN n
      ValidatorEmission = Emission.amounts state.RaoEmission shares.Validator |> firstN n
      Emission = Emission.amounts state.RaoEmission shares.Combined |> firstN n
      NewValidatorPermits = newPermits
      Rank = legacyOr 0us (fun () -> Conversions.vecFixedProportionsToU16 incentive)
      Trust = legacyOr 0us (fun () -> Consensus.trust clippedRanks (Consensus.ranks n activeStake weights) |> Conversions.vecFixedProportionsToU16)
      PruningScore = legacyOr 65535us (fun () -> Conversions.vecMaxUpscaleToU16 shares.Combined |> firstN n)
      Bonds = Array.init n (fun i -> if newPermits[i] && i < storedBonds.Length then storedBonds[i] else [||])
      Stake = totalStake |> Array.map Fixed.saturatingToUInt64
      Trace =
        { Inactive = inactive; Stake = stake; ValidatorPermits = permits; ActiveStake = activeStake; Weights = weights
          Consensus = consensus; ClippedWeights = clipped; ValidatorTrust = validatorTrust; Incentive = incentive
          WeightsForBonds = weightsForBonds; EmaBonds = bonds.EmaBonds; Dividends = bonds.Dividends
          NormalizedServerEmission = shares.Server; NormalizedValidatorEmission = shares.Validator
          NormalizedCombinedEmission = shares.Combined } }
