/// <summary>A small example subnet, used by the node's <c>epoch</c> command (the README's first command) and the
/// docs. Built from the chain's production defaults.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Examples

/// The chain's production hyperparameter defaults (<c>shared/notes/yuma-epoch.md</c> §2): Yuma 3 on (as
/// <c>init_new_network</c> sets it), liquid alpha off, 64 validators, τ = 360.
let productionDefaults: Hyperparameters =
    { Era = Current; ActivityCutoff = 5000us; Tempo = 360us; ActivityCutoffFactorMilli = 13889UL; Kappa = 32767us; BondsPenalty = 65535us
      BondsMovingAverage = 900000UL; MaxAllowedValidators = 64us; StakeThreshold = 0UL
      TaoWeight = 971718665099567868UL; Yuma3 = true; LiquidAlpha = false; AlphaLow = 45875us; AlphaHigh = 58982us
      AlphaSigmoidSteepness = 1000s; CommitReveal = false }

/// A role in the example, for display.
type Role =
    | Validator
    | Miner

let private entry uid value : StoredEntry = { Uid = uid; Value = value }

/// <summary>Eight uids at block 7200: three validators (60 %, 30 % and 10 % of the stake) and five miners. The two
/// large validators broadly agree on miners 3–6; the small one puts most of its weight on miner 7, which nobody else
/// supports, so consensus clips it away. Weights are the u16 values as stored after max-upscaling.</summary>
let smallSubnet: Hyperparameters * EpochState * Role[] =
    let n = 8
    let block = 7200UL
    let state =
        { N = n
          Block = block
          LastUpdate = Array.create n (block - 10UL)
          BlockAtRegistration = Array.zeroCreate n
          AlphaStake = [| 600_000_000_000UL; 300_000_000_000UL; 100_000_000_000UL; 0UL; 0UL; 0UL; 0UL; 0UL |]
          TaoStake = Array.zeroCreate n
          OwnerUid = None
          ValidatorPermits = [| true; true; true; false; false; false; false; false |]
          Weights =
            [| [| entry 3 65535us; entry 4 43690us; entry 5 21845us; entry 6 10922us |]
               [| entry 3 65535us; entry 4 51491us; entry 5 21064us; entry 6 14043us |]
               [| entry 3 11915us; entry 7 65535us |]
               [||]; [||]; [||]; [||]; [||] |]
          Bonds = Array.create n [||]
          CommitBlocks = Array.create n System.UInt64.MaxValue
          LastMechanismStepBlock = 0UL
          RaoEmission = 1_000_000_000UL }
    productionDefaults, state, [| Validator; Validator; Validator; Miner; Miner; Miner; Miner; Miner |]
