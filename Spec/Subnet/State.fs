/// <summary>Reading a subnet's state: uids, stake, immunity, epoch counters; and creating a new subnet.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.State

open Bittensor.Spec.Yuma

/// <summary>The uid registered to <paramref name="hotkey"/>, if any.</summary>
let uidOf (state: SubnetState) (hotkey: AccountId) : int option =
    state.Neurons |> Array.tryFindIndex (fun neuron -> neuron.Hotkey = hotkey)

/// <summary>A hotkey's alpha stake on this subnet: the sum over the coldkeys that stake on it (rao).</summary>
let hotkeyStake (state: SubnetState) (hotkey: AccountId) : uint64 =
    state.Stake |> Seq.filter (fun kv -> fst kv.Key = hotkey) |> Seq.sumBy (fun kv -> kv.Value)

/// <summary>A coldkey's free balance (rao); 0 for an unknown account.</summary>
let balance (state: SubnetState) (coldkey: AccountId) : uint64 = state.Balances |> Map.tryFind coldkey |> Option.defaultValue 0UL

/// <summary>Immunity: <c>b − BlockAtRegistration &lt; ImmunityPeriod</c> (saturating).</summary>
let isImmune (state: SubnetState) (neuron: Neuron) : bool =
    (if state.Block > neuron.RegistrationBlock then state.Block - neuron.RegistrationBlock else 0UL) < state.Parameters.ImmunityPeriod

/// <summary><c>should_run_epoch</c>: never with τ = 0; when an owner-requested epoch is due; when more than
/// <c>MaxTempo</c> blocks passed since the last step; otherwise when <c>b − LastEpochBlock ≥ τ</c> (saturating).
/// Before 2025-10 (the old rule): exactly when <c>(b + netuid + 1) mod (τ + 1) = 0</c>, i.e. every τ + 1 blocks.</summary>
let shouldRunEpoch (state: SubnetState) (block: uint64) : bool =
    let tempo = uint64 state.Parameters.Epoch.Tempo
    if tempo = 0UL then false
    elif state.Parameters.Epoch.Era = Before2025_10 then (block + uint64 state.Netuid + 1UL) % (tempo + 1UL) = 0UL
    elif state.PendingEpochAt > 0UL && block >= state.PendingEpochAt then true
    elif state.BlocksSinceLastStep > state.Parameters.MaxTempo then true
    else (if block > state.LastEpochBlock then block - state.LastEpochBlock else 0UL) >= tempo

/// <summary>The epoch index commit-reveal measures time in: <c>SubnetEpochIndex</c>, plus one when an epoch is due at
/// the current block but has not run yet.</summary>
let currentEpoch (state: SubnetState) : uint64 =
    state.EpochIndex + (if shouldRunEpoch state state.Block then 1UL else 0UL)

/// <summary>A commitment expires once the current epoch is past <c>commit epoch + RevealPeriodEpochs</c>.</summary>
let isCommitExpired (state: SubnetState) (currentEpoch: uint64) (commit: WeightCommit) : bool =
    currentEpoch > commit.CommitEpoch + state.Parameters.RevealPeriodEpochs

/// <summary>A new neuron at the current block: no weights, bonds, axon or permit; <c>LastUpdate</c> = the block.</summary>
let newNeuron (block: uint64) (coldkey: AccountId) (hotkey: AccountId) : Neuron =
    { Hotkey = hotkey; Coldkey = coldkey; RegistrationBlock = block; LastUpdate = block; Weights = [||]; Bonds = [||]
      Axon = None; ValidatorPermit = false; Active = true; StakeWeight = 0us; Consensus = 0us; Incentive = 0us
      Dividends = 0us; ValidatorTrust = 0us; Emission = 0UL }

/// <summary>The production defaults for a new subnet's parameters (<c>init_new_network</c> and the runtime's
/// genesis values; <c>shared/notes</c>), with the epoch's defaults from <see cref="T:Bittensor.Spec.Yuma.Examples"/>.</summary>
let defaultParameters: SubnetParameters =
    { Epoch = { Examples.productionDefaults with TaoWeight = 0UL }
      MaxAllowedUids = 256
      ImmunityPeriod = 5000UL
      MinNonImmuneUids = 10
      ImmuneOwnerUidsLimit = 1
      WeightsRateLimit = 100UL
      MinAllowedWeights = 1
      WeightsVersionKey = 0UL
      MaxWeightLimit = 65535us
      WeightsMinStake = 0UL
      RevealPeriodEpochs = 1UL
      MaxUnrevealedCommits = 10
      Burn = 1_000_000_000UL
      MinBurn = 500_000UL
      MaxBurn = 100_000_000_000UL
      AdjustmentInterval = 100us
      TargetRegistrationsPerInterval = 2us
      AdjustmentAlpha = 0UL
      MaxRegistrationsPerBlock = 1
      MinStake = 500_000UL
      ServingRateLimit = 50UL
      AlphaEmissionPerBlock = 1_000_000_000UL
      SubnetOwnerCut = 11796us
      MaxTempo = 50400UL }

/// <summary>A new, empty subnet at <paramref name="block"/> (<c>init_new_network</c>): the epoch cycle is seeded with
/// <c>LastEpochBlock = b − (netuid mod max(τ, 1))</c> so that subnets do not all run their epochs in one block.</summary>
let create (netuid: uint16) (ownerColdkey: AccountId) (ownerHotkey: AccountId) (parameters: SubnetParameters) (block: uint64) (balances: Map<AccountId, uint64>) : SubnetState =
    let offset = uint64 netuid % max (uint64 parameters.Epoch.Tempo) 1UL
    { Netuid = netuid; OwnerColdkey = ownerColdkey; OwnerHotkey = ownerHotkey; Parameters = parameters; Neurons = [||]
      Stake = Map.empty; Balances = balances; Block = block; RegistrationsThisBlock = 0
      LastAdjustmentBlock = 0UL; RegistrationsThisInterval = 0us; BurnRegistrationsThisInterval = 0us
      LastEpochBlock = (if block > offset then block - offset else 0UL); PendingEpochAt = 0UL; BlocksSinceLastStep = 0UL
      EpochIndex = 0UL; LastMechanismStepBlock = 0UL; PendingServerEmission = 0UL; PendingValidatorEmission = 0UL
      PendingOwnerCut = 0UL; WeightCommits = Map.empty }

/// <summary>A deterministic stand-in account for examples and tests: the BLAKE2b-256 of the name as the "public key".
/// Not a real key pair; nothing can sign for it.</summary>
let exampleAccount (name: string) : AccountId =
    AccountId("0x" + System.Convert.ToHexStringLower(Hashing.blake2b 32 (System.Text.Encoding.UTF8.GetBytes name)))
