module Bittensor.Conformance.Tests.EpochTests

open Expecto
open Bittensor.Spec.Yuma

/// The chain's production defaults (shared/notes/yuma-epoch.md §2), Yuma 3 without liquid alpha.
let defaults: Hyperparameters =
    { Era = Current; ActivityCutoff = 5000us; Tempo = 360us; ActivityCutoffFactorMilli = 13889UL; Kappa = 32767us; BondsPenalty = 65535us
      BondsMovingAverage = 900000UL; MaxAllowedValidators = 64us; StakeThreshold = 0UL; TaoWeight = 0UL
      Yuma3 = true; LiquidAlpha = false; AlphaLow = 45875us; AlphaHigh = 58982us; AlphaSigmoidSteepness = 1000s
      CommitReveal = false }

/// n uids registered at block 0, all updated at the current block, no weights or bonds.
let emptySubnet n block : EpochState =
    { N = n; Block = block; LastUpdate = Array.create n block; BlockAtRegistration = Array.zeroCreate n
      AlphaStake = Array.zeroCreate n; TaoStake = Array.zeroCreate n; OwnerUid = None
      ValidatorPermits = Array.create n true; Weights = Array.create n [||]; Bonds = Array.create n [||]
      CommitBlocks = Array.create n System.UInt64.MaxValue; LastMechanismStepBlock = 0UL; RaoEmission = 0UL }

let weight uid value : StoredEntry = { Uid = uid; Value = value }

[<Tests>]
let tests =
    testList "epoch" [
        test "ten equal stakes sharing 1e9 rao get 99999999 each" {
            let state = { emptySubnet 10 1000UL with AlphaStake = Array.create 10 1000UL; RaoEmission = 1_000_000_000UL }
            let out = Epoch.run defaults state
            Expect.equal out.ValidatorEmission (Array.create 10 99999999UL) "each 429496729/2^32 of 1e9, floored"
            Expect.equal out.ServerEmission (Array.zeroCreate 10) "no weights: no incentive"
            Expect.equal out.Emission (Array.create 10 99999999UL) "combined follows active stake"
        }
        test "two equal validators agreeing on one miner: incentive 1, dividends one half each" {
            // uids 0, 1: validators with equal stake; uid 2: the miner both weight fully; uid 3: an idle miner.
            let state =
                { emptySubnet 4 1000UL with
                    AlphaStake = [| 500UL; 500UL; 0UL; 0UL |]
                    ValidatorPermits = [| true; true; false; false |]
                    Weights = [| [| weight 2 65535us |]; [| weight 2 65535us |]; [||]; [||] |]
                    RaoEmission = 1_000_000_000UL }
            let out = Epoch.run defaults state
            // a = [1/2, 1/2, 0, 0]; C_2 = 1; I = [0, 0, 1, 0]; E = 0.1 W (alpha 0.1, no old bonds), column-normalised
            // to 1/2 each; D ∝ (1/2 · 1) · 1/2 → [1/2, 1/2]; Σ(I + D) = 2, so the miner gets 1/2 and each validator 1/4.
            Expect.equal out.Incentive [| 0us; 0us; 65535us; 0us |] "incentive"
            Expect.equal out.Dividends [| 32767us; 32767us; 0us; 0us |] "⌊0.5 · 65535⌋"
            Expect.equal out.Consensus [| 0us; 0us; 65535us; 0us |] "consensus"
            Expect.equal out.ServerEmission [| 0UL; 0UL; 500_000_000UL; 0UL |] "miner"
            Expect.equal out.ValidatorEmission [| 250_000_000UL; 250_000_000UL; 0UL; 0UL |] "validators"
            Expect.equal out.NewValidatorPermits [| true; true; false; false |] "top-k of non-zero stake"
            // stored bonds: E = α · 1 = bits 429496730 (0.1000000000233), and ⌊0.1000000000233 · 65535⌋ = 6553
            Expect.equal out.Bonds [| [| weight 2 6553us |]; [| weight 2 6553us |]; [||]; [||] |] "bond rows for permitted validators only"
        }
        test "a validator whose weights are older than a miner's registration does not count for it" {
            let state =
                { emptySubnet 3 1000UL with
                    AlphaStake = [| 1000UL; 0UL; 0UL |]
                    ValidatorPermits = [| true; false; false |]
                    LastUpdate = [| 500UL; 1000UL; 1000UL |]
                    BlockAtRegistration = [| 0UL; 0UL; 600UL |]
                    Weights = [| [| weight 1 65535us; weight 2 65535us |]; [||]; [||] |]
                    RaoEmission = 1000UL }
            let out = Epoch.run defaults state
            Expect.equal out.Incentive [| 0us; 65535us; 0us |] "uid 2 re-registered after the weights were set"
        }
        test "an inactive validator's stake does not vote, and the fallback pays stake" {
            let state =
                { emptySubnet 2 100000UL with
                    AlphaStake = [| 1000UL; 0UL |]
                    LastUpdate = [| 0UL; 100000UL |]
                    Weights = [| [| weight 1 65535us |]; [||] |]
                    RaoEmission = 1000UL }
            let out = Epoch.run defaults state
            Expect.equal out.Active [| false; true |] "0 + 5000 < 100000"
            Expect.equal out.Incentive [| 0us; 0us |] "no active stake votes"
            Expect.equal out.ValidatorEmission [| 1000UL; 0UL |] "stake fallback: the only staker holds exactly 1"
        }
        test "before 2025-10: rank equals incentive, trust is the share of support that survived clipping, pruning scores max-upscale emission" {
            // validator 0 (60 %) weights miner 2 only; validator 1 (40 %) splits between miners 2 and 3.
            let state =
                { emptySubnet 4 1000UL with
                    AlphaStake = [| 600UL; 400UL; 0UL; 0UL |]
                    ValidatorPermits = [| true; true; false; false |]
                    Weights = [| [| weight 2 65535us |]; [| weight 2 65535us; weight 3 65535us |]; [||]; [||] |]
                    RaoEmission = 1_000_000_000UL }
            let legacy = Epoch.run { defaults with Era = Before2025_10 } state
            let current = Epoch.run defaults state
            Expect.equal legacy.Rank legacy.Incentive "rank is incentive in u16"
            // miner 3's only supporter holds 40 % < kappa, so consensus for 3 is 0 and its support is clipped away
            Expect.equal legacy.Trust[3] 0us "miner 3 keeps none of its support"
            Expect.equal legacy.Trust[2] 65535us "miner 2 keeps all of it"
            Expect.equal (Array.max legacy.PruningScore) 65535us "the largest emission scores 65535"
            Expect.equal current.Rank (Array.zeroCreate 4) "no rank now"
            Expect.equal current.PruningScore (Array.create 4 65535us) "pruning scores read u16::MAX now"
            Expect.equal legacy.Incentive current.Incentive "the incentive rule itself did not change"
        }
        test "before 2026-03 the owner has no exemption: its self-weight is masked" {
            let state =
                { emptySubnet 2 1000UL with
                    AlphaStake = [| 1000UL; 0UL |]
                    OwnerUid = Some 0
                    Weights = [| [| weight 0 65535us |]; [||] |]
                    RaoEmission = 1000UL }
            Expect.equal (Epoch.run defaults state).Incentive [| 65535us; 0us |] "the owner keeps its self-weight now"
            Expect.equal (Epoch.run { defaults with Era = Before2025_10 } state).Incentive [| 0us; 0us |] "masked before"
        }
    ]
