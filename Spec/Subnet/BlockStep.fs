/// <summary>What happens at every block: the subnet's alpha emission accumulates, and when the scheduler says so, the
/// epoch runs and pays out.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.BlockStep

open System.Numerics
open Bittensor.Spec.Fixed
open Bittensor.Spec.Yuma

let private u96 (x: uint64) = Fixed.ofInteger<U96F32> (BigInteger x)

let private i110 (x: uint64) = Fixed.ofInteger<I110F18> (BigInteger x)

/// <summary><c>upgraded_burn</c>: the burn moved toward <c>burn · (registrations + target) / (2 · target)</c>, keeping the
/// fraction <c>AdjustmentAlpha / (2^64 − 1)</c> of the old value, in I110F18 with saturating operations (products
/// floored, quotients truncated), then clamped: at or above <c>MaxBurn</c> gives <c>MaxBurn</c>, at or below
/// <c>MinBurn</c> gives <c>MinBurn</c>, otherwise floored to rao. The counts add saturating in u16.</summary>
/// <example>Burn 1 TAO, no registrations, target 2, alpha 0: 1 TAO · 2 / 4 = 0.5 TAO.</example>
let upgradedBurn (parameters: SubnetParameters) (registrations: uint16) : uint64 =
    let saturatingAdd16 (a: uint16) (b: uint16) = uint16 (min 65535 (int a + int b))
    let target = parameters.TargetRegistrationsPerInterval
    let burn = i110 parameters.Burn
    let updated =
        Fixed.saturatingDiv (Fixed.saturatingMul burn (i110 (uint64 (saturatingAdd16 registrations target)))) (i110 (uint64 (saturatingAdd16 target target)))
    let alpha = Fixed.saturatingDiv (i110 parameters.AdjustmentAlpha) (i110 System.UInt64.MaxValue)
    let next = Fixed.saturatingAdd (Fixed.saturatingMul alpha burn) (Fixed.saturatingMul (Fixed.saturatingSub I110F18.One alpha) updated)
    if next >= i110 parameters.MaxBurn then parameters.MaxBurn
    elif next <= i110 parameters.MinBurn then parameters.MinBurn
    else Fixed.toUInt64 next

/// <summary><c>adjust_registration_terms_for_networks</c> for one subnet at <paramref name="block"/>: once
/// <c>AdjustmentInterval</c> blocks have passed since the last adjustment (saturating), the burn is upgraded when the
/// interval saw more registrations than the target, or none at all (the chain's cases B and E; with registrations at
/// or below the target the chain moves only the proof-of-work difficulty, case D, which is not modelled); then the
/// counters reset and <c>LastAdjustmentBlock</c> = block. The per-block registration count resets every block.</summary>
let adjustRegistrationTerms (state: SubnetState) (block: uint64) : SubnetState =
    let p = state.Parameters
    let reset = { state with RegistrationsThisBlock = 0 }
    if block - min block state.LastAdjustmentBlock < uint64 p.AdjustmentInterval then reset
    else
        let registrations = state.RegistrationsThisInterval
        let tooMany = registrations > p.TargetRegistrationsPerInterval
        let none = state.BurnRegistrationsThisInterval = 0us
        let burn = if tooMany || none then upgradedBurn p registrations else p.Burn
        { reset with
            Parameters = { p with Burn = burn }
            LastAdjustmentBlock = block
            RegistrationsThisInterval = 0us
            BurnRegistrationsThisInterval = 0us }

/// The block's alpha split: owner cut, server (miner) half, validator rest.
type BlockEmission = { OwnerCut: uint64; Server: uint64; Validator: uint64 }

/// <summary>One block's emission (<c>emit_to_subnets</c>, without root stake): owner_cut = α_out · (cut / 65535); of the
/// rest, half to miners and the remainder to validators; all in U96F32, each floored to rao.</summary>
let blockEmission (parameters: SubnetParameters) : BlockEmission =
    let alphaOut = u96 parameters.AlphaEmissionPerBlock
    let cutFraction = Fixed.safeDiv (u96 (uint64 parameters.SubnetOwnerCut)) (u96 65535UL)
    let ownerCut = Fixed.saturatingMul alphaOut cutFraction
    let remaining = Fixed.saturatingSub alphaOut ownerCut
    let server = Fixed.saturatingMul remaining (Fixed.ofF64Bits<U96F32> 0x3FE0000000000000UL) // × 0.5
    let validator = Fixed.saturatingSub remaining server
    { OwnerCut = Fixed.saturatingToUInt64 ownerCut; Server = Fixed.saturatingToUInt64 server; Validator = Fixed.saturatingToUInt64 validator }

/// <summary>The epoch's inputs read from the subnet: stake is each hotkey's alpha stake; <c>CommitBlocks</c> is each
/// hotkey's earliest unexpired commitment block (expiry measured at <c>SubnetEpochIndex</c>, already advanced).</summary>
let epochState (state: SubnetState) (raoEmission: uint64) : EpochState =
    let neurons = state.Neurons
    let commitBlock (hotkey: AccountId) =
        state.WeightCommits |> Map.tryFind hotkey |> Option.defaultValue []
        |> List.tryFind (fun c -> not (State.isCommitExpired state state.EpochIndex c))
        |> Option.map _.CommitBlock |> Option.defaultValue System.UInt64.MaxValue
    { N = neurons.Length; Block = state.Block
      LastUpdate = neurons |> Array.map _.LastUpdate
      BlockAtRegistration = neurons |> Array.map _.RegistrationBlock
      AlphaStake = neurons |> Array.map (fun n -> State.hotkeyStake state n.Hotkey)
      TaoStake = Array.zeroCreate neurons.Length
      OwnerUid = State.uidOf state state.OwnerHotkey
      ValidatorPermits = neurons |> Array.map _.ValidatorPermit
      Weights = neurons |> Array.map _.Weights
      Bonds = neurons |> Array.map _.Bonds
      CommitBlocks = neurons |> Array.map (fun n -> commitBlock n.Hotkey)
      LastMechanismStepBlock = state.LastMechanismStepBlock
      RaoEmission = raoEmission }

let private credit (hotkey: AccountId, coldkey: AccountId) (amount: uint64) (stake: Map<AccountId * AccountId, uint64>) =
    if amount = 0UL then stake
    else stake.Add((hotkey, coldkey), (stake |> Map.tryFind (hotkey, coldkey) |> Option.defaultValue 0UL) + amount)

/// <summary>Runs the epoch on the pending emission and pays it (<c>distribute_emission</c>, one mechanism, no child
/// keys or root dividends): miners receive their server emission as stake, except the owner's hotkey whose incentive is
/// burned; the validator pot (pending validator emission, plus the pending server emission when no miner earned
/// anything) is split in proportion to the epoch's validator emission, ⌊pot · v_i / Σ v⌋ in U96F32; the owner cut goes
/// to the owner's stake. Each stake is credited to the neuron's own coldkey. The epoch's per-uid results are stored on
/// the neurons.</summary>
let distribute (state: SubnetState) : SubnetState * EpochOutput =
    let server, validator, ownerCut = state.PendingServerEmission, state.PendingValidatorEmission, state.PendingOwnerCut
    let output = Epoch.run state.Parameters.Epoch (epochState state (server + validator))
    let neurons = state.Neurons
    let totalIncentive = output.ServerEmission |> Array.sumBy BigInteger
    let pot = if totalIncentive.IsZero then server + validator else validator
    let totalDividends = output.ValidatorEmission |> Array.sumBy BigInteger
    let dividend i =
        if totalDividends.IsZero then 0UL
        else Fixed.safeDiv (Fixed.saturatingMul (u96 pot) (u96 output.ValidatorEmission[i])) (Fixed.ofInteger<U96F32> totalDividends) |> Fixed.saturatingToUInt64
    let ownerUid = State.uidOf state state.OwnerHotkey
    let stake =
        neurons |> Array.indexed |> Array.fold (fun stake (i, n) ->
            let incentive = if ownerUid = Some i then 0UL else output.ServerEmission[i]
            stake |> credit (n.Hotkey, n.Coldkey) incentive |> credit (n.Hotkey, n.Coldkey) (dividend i)) state.Stake
        |> credit (state.OwnerHotkey, state.OwnerColdkey) (if ownerUid.IsSome then ownerCut else 0UL)
    let updated =
        neurons |> Array.mapi (fun i n ->
            { n with
                Active = output.Active[i]; StakeWeight = output.StakeWeight[i]; Consensus = output.Consensus[i]
                Incentive = output.Incentive[i]; Dividends = output.Dividends[i]; ValidatorTrust = output.ValidatorTrust[i]
                Emission = output.Emission[i]; ValidatorPermit = output.NewValidatorPermits[i]; Bonds = output.Bonds[i] })
    { state with Neurons = updated; Stake = stake }, output

/// <summary>Advances the subnet to the next block (<c>block_step</c> for one subnet): the registration terms adjust
/// (see <see cref="M:Bittensor.Spec.Subnet.BlockStep.adjustRegistrationTerms"/>), the block's emission accumulates, <c>BlocksSinceLastStep</c> counts up, and if an epoch is due (see
/// <see cref="M:Bittensor.Spec.Subnet.State.shouldRunEpoch"/>) the scheduler records it (<c>LastEpochBlock</c>,
/// <c>SubnetEpochIndex</c> + 1, counters reset), the epoch runs on the drained emission, and
/// <c>LastMechansimStepBlock</c> becomes the block. Returns the epoch's output when one ran.</summary>
let step (state: SubnetState) : SubnetState * EpochOutput option =
    let block = state.Block + 1UL
    let emission = blockEmission state.Parameters
    let accrued =
        { adjustRegistrationTerms state block with
            Block = block
            PendingServerEmission = state.PendingServerEmission + emission.Server
            PendingValidatorEmission = state.PendingValidatorEmission + emission.Validator
            PendingOwnerCut = state.PendingOwnerCut + emission.OwnerCut
            BlocksSinceLastStep = state.BlocksSinceLastStep + 1UL }
    if not (State.shouldRunEpoch accrued block) then accrued, None
    else
        let scheduled =
            { accrued with LastEpochBlock = block; PendingEpochAt = 0UL; EpochIndex = accrued.EpochIndex + 1UL; BlocksSinceLastStep = 0UL }
        let paid, output = distribute scheduled
        { paid with PendingServerEmission = 0UL; PendingValidatorEmission = 0UL; PendingOwnerCut = 0UL; LastMechanismStepBlock = block }, Some output
