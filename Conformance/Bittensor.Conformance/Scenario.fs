/// <summary>The scenario runner: a subnet created from parameters, then a sequence of operations and block steps; the
/// output is every step's result (ok, a named error, or the blocks at which epochs ran) and the final state.</summary>
module Bittensor.Conformance.Scenario

open System.Numerics
open System.Text.Json.Nodes
open Bittensor.Spec.Subnet
open Bittensor.Conformance.Codec

let private account (a: AccountId) = text a.Hex

let readAccount path (node: JsonNode) : AccountId =
    let hex = readString path node
    let isHex (c: char) = System.Char.IsAsciiHexDigitLower c || System.Char.IsDigit c
    if hex.Length <> 66 || not (hex.StartsWith "0x") || not (hex.Substring 2 |> Seq.forall isHex) then
        malformed path $"a 32-byte public key as 0x followed by 64 lowercase hex digits (got \"{hex}\")"
    AccountId hex

let parameters (p: SubnetParameters) =
    obj [ "epoch", hyperparameters p.Epoch
          "max_allowed_uids", num p.MaxAllowedUids
          "immunity_period", u64 p.ImmunityPeriod
          "min_non_immune_uids", num p.MinNonImmuneUids
          "immune_owner_uids_limit", num p.ImmuneOwnerUidsLimit
          "weights_rate_limit", u64 p.WeightsRateLimit
          "min_allowed_weights", num p.MinAllowedWeights
          "weights_version_key", u64 p.WeightsVersionKey
          "max_weight_limit", num (int p.MaxWeightLimit)
          "weights_min_stake", u64 p.WeightsMinStake
          "reveal_period_epochs", u64 p.RevealPeriodEpochs
          "max_unrevealed_commits", num p.MaxUnrevealedCommits
          "burn", u64 p.Burn
          "min_burn", u64 p.MinBurn
          "max_burn", u64 p.MaxBurn
          "adjustment_interval", num (int p.AdjustmentInterval)
          "target_registrations_per_interval", num (int p.TargetRegistrationsPerInterval)
          "adjustment_alpha", u64 p.AdjustmentAlpha
          "max_registrations_per_block", num p.MaxRegistrationsPerBlock
          "min_stake", u64 p.MinStake
          "serving_rate_limit", u64 p.ServingRateLimit
          "alpha_emission_per_block", u64 p.AlphaEmissionPerBlock
          "subnet_owner_cut", num (int p.SubnetOwnerCut)
          "max_tempo", u64 p.MaxTempo ]

let readParameters path (node: JsonNode) : SubnetParameters =
    let f name = field path name node
    let p name = $"{path}.{name}"
    { Epoch = readHyperparameters (p "epoch") (f "epoch")
      MaxAllowedUids = readInt (p "max_allowed_uids") (f "max_allowed_uids")
      ImmunityPeriod = readU64 (p "immunity_period") (f "immunity_period")
      MinNonImmuneUids = readInt (p "min_non_immune_uids") (f "min_non_immune_uids")
      ImmuneOwnerUidsLimit = readInt (p "immune_owner_uids_limit") (f "immune_owner_uids_limit")
      WeightsRateLimit = readU64 (p "weights_rate_limit") (f "weights_rate_limit")
      MinAllowedWeights = readInt (p "min_allowed_weights") (f "min_allowed_weights")
      WeightsVersionKey = readU64 (p "weights_version_key") (f "weights_version_key")
      MaxWeightLimit = readU16 (p "max_weight_limit") (f "max_weight_limit")
      WeightsMinStake = readU64 (p "weights_min_stake") (f "weights_min_stake")
      RevealPeriodEpochs = readU64 (p "reveal_period_epochs") (f "reveal_period_epochs")
      MaxUnrevealedCommits = readInt (p "max_unrevealed_commits") (f "max_unrevealed_commits")
      Burn = readU64 (p "burn") (f "burn")
      MinBurn = readU64 (p "min_burn") (f "min_burn")
      MaxBurn = readU64 (p "max_burn") (f "max_burn")
      AdjustmentInterval = readU16 (p "adjustment_interval") (f "adjustment_interval")
      TargetRegistrationsPerInterval =
        match readU16 (p "target_registrations_per_interval") (f "target_registrations_per_interval") with
        | 0us -> malformed (p "target_registrations_per_interval") "at least 1 (the burn adjustment divides by it)"
        | target -> target
      AdjustmentAlpha = readU64 (p "adjustment_alpha") (f "adjustment_alpha")
      MaxRegistrationsPerBlock = readInt (p "max_registrations_per_block") (f "max_registrations_per_block")
      MinStake = readU64 (p "min_stake") (f "min_stake")
      ServingRateLimit = readU64 (p "serving_rate_limit") (f "serving_rate_limit")
      AlphaEmissionPerBlock = readU64 (p "alpha_emission_per_block") (f "alpha_emission_per_block")
      SubnetOwnerCut = readU16 (p "subnet_owner_cut") (f "subnet_owner_cut")
      MaxTempo = readU64 (p "max_tempo") (f "max_tempo") }

/// One step of a scenario: an operation, or advancing some blocks.
type Step =
    | Apply of Operation
    | Advance of blocks: int

let private u16Array (v: uint16[]) = u16s v

let step (s: Step) : JsonNode =
    match s with
    | Advance blocks -> obj [ "op", text "step"; "blocks", num blocks ]
    | Apply(Register(c, h)) -> obj [ "op", text "register"; "coldkey", account c; "hotkey", account h ]
    | Apply(ServeAxon(h, version, ip, port, ipType, protocol)) ->
        obj [ "op", text "serve_axon"; "hotkey", account h; "version", num (int version); "ip", text (ip.ToString()); "port", num (int port)
              "ip_type", num (int ipType); "protocol", num (int protocol) ]
    | Apply(SetWeights(h, uids, values, key)) -> obj [ "op", text "set_weights"; "hotkey", account h; "uids", u16Array uids; "values", u16Array values; "version_key", u64 key ]
    | Apply(CommitWeights(h, hash)) -> obj [ "op", text "commit_weights"; "hotkey", account h; "hash", text ("0x" + System.Convert.ToHexStringLower hash) ]
    | Apply(RevealWeights(h, uids, values, salt, key)) ->
        obj [ "op", text "reveal_weights"; "hotkey", account h; "uids", u16Array uids; "values", u16Array values; "salt", u16Array salt; "version_key", u64 key ]
    | Apply(AddStake(c, h, amount)) -> obj [ "op", text "add_stake"; "coldkey", account c; "hotkey", account h; "amount", u64 amount ]
    | Apply(RemoveStake(c, h, amount)) -> obj [ "op", text "remove_stake"; "coldkey", account c; "hotkey", account h; "amount", u64 amount ]

let readStep path (node: JsonNode) : Step =
    let f name = field path name node
    let p name = $"{path}.{name}"
    let acc name = readAccount (p name) (f name)
    let u16List name = readArray (p name) readU16 (f name)
    match readString (p "op") (f "op") with
    | "step" ->
        let blocks = readInt (p "blocks") (f "blocks")
        if blocks > 1_000_000 then malformed (p "blocks") $"at most 1000000 blocks in one step (got {blocks})"
        Advance blocks
    | "register" -> Apply(Register(acc "coldkey", acc "hotkey"))
    | "serve_axon" ->
        let ip = readBigInteger (p "ip") (f "ip")
        if ip.Sign < 0 || ip >= BigInteger.Pow(2I, 128) then malformed (p "ip") "a u128"
        let byteIn name = byte (readU16 (p name) (f name) |> fun v -> if v > 255us then malformed (p name) "a u8" else v)
        Apply(ServeAxon(acc "hotkey", uint32 (readU64 (p "version") (f "version")), ip, readU16 (p "port") (f "port"), byteIn "ip_type", byteIn "protocol"))
    | "set_weights" -> Apply(SetWeights(acc "hotkey", u16List "uids", u16List "values", readU64 (p "version_key") (f "version_key")))
    | "commit_weights" ->
        let hex = readString (p "hash") (f "hash")
        if hex.Length <> 66 || not (hex.StartsWith "0x") then malformed (p "hash") "a 32-byte hash as 0x followed by 64 hex digits"
        Apply(CommitWeights(acc "hotkey", System.Convert.FromHexString(hex.Substring 2)))
    | "reveal_weights" -> Apply(RevealWeights(acc "hotkey", u16List "uids", u16List "values", u16List "salt", readU64 (p "version_key") (f "version_key")))
    | "add_stake" -> Apply(AddStake(acc "coldkey", acc "hotkey", readU64 (p "amount") (f "amount")))
    | "remove_stake" -> Apply(RemoveStake(acc "coldkey", acc "hotkey", readU64 (p "amount") (f "amount")))
    | other -> malformed (p "op") $"one of step, register, serve_axon, set_weights, commit_weights, reveal_weights, add_stake, remove_stake (got \"{other}\")"

/// A scenario's starting point.
type Genesis = { Netuid: uint16; OwnerColdkey: AccountId; OwnerHotkey: AccountId; Parameters: SubnetParameters; Block: uint64; Balances: (AccountId * uint64) list }

let input (genesis: Genesis) (steps: Step list) =
    obj [ "netuid", num (int genesis.Netuid)
          "owner_coldkey", account genesis.OwnerColdkey
          "owner_hotkey", account genesis.OwnerHotkey
          "parameters", parameters genesis.Parameters
          "block", u64 genesis.Block
          "balances", JsonArray(genesis.Balances |> List.map (fun (a, amount) -> JsonArray(account a, u64 amount) :> JsonNode) |> Array.ofList)
          "steps", JsonArray(steps |> List.map step |> Array.ofList) ]

/// The final state as the scenario output reports it: every field the operations and epochs change.
let final (s: SubnetState) =
    let row (entries: Bittensor.Spec.Yuma.StoredEntry[]) = let rows = (storedRows [| entries |]).AsArray() in rows[0].DeepClone()
    let neuron (n: Neuron) =
        obj [ "hotkey", account n.Hotkey; "coldkey", account n.Coldkey; "registration_block", u64 n.RegistrationBlock
              "last_update", u64 n.LastUpdate; "weights", row n.Weights
              "bonds", row n.Bonds
              "axon", (match n.Axon with
                       | Some a -> obj [ "block", u64 a.Block; "ip", text (a.Ip.ToString()); "port", num (int a.Port); "ip_type", num (int a.IpType); "version", num (int a.Version) ]
                       | None -> null)
              "validator_permit", flag n.ValidatorPermit; "active", flag n.Active; "stake_weight", num (int n.StakeWeight)
              "consensus", num (int n.Consensus); "incentive", num (int n.Incentive); "dividends", num (int n.Dividends)
              "validator_trust", num (int n.ValidatorTrust); "emission", u64 n.Emission ]
    obj [ "block", u64 s.Block
          "epoch_index", u64 s.EpochIndex
          "last_epoch_block", u64 s.LastEpochBlock
          "pending_server_emission", u64 s.PendingServerEmission
          "pending_validator_emission", u64 s.PendingValidatorEmission
          "pending_owner_cut", u64 s.PendingOwnerCut
          "burn", u64 s.Parameters.Burn
          "last_adjustment_block", u64 s.LastAdjustmentBlock
          "registrations_this_interval", num (int s.RegistrationsThisInterval)
          "neurons", JsonArray(s.Neurons |> Array.map neuron)
          "stake", JsonArray(s.Stake |> Seq.map (fun kv -> JsonArray(account (fst kv.Key), account (snd kv.Key), u64 kv.Value) :> JsonNode) |> Array.ofSeq)
          "balances", JsonArray(s.Balances |> Seq.map (fun kv -> JsonArray(account kv.Key, u64 kv.Value) :> JsonNode) |> Array.ofSeq) ]

let private errorName (e: SubnetError) = sprintf "%A" e

/// Runs a scenario's input: creates the subnet, applies every step in order, and reports the results and final state.
let run (inputNode: JsonNode) : JsonNode =
    let f name = field "input" name inputNode
    let balances =
        readArray "input.balances" (fun p pair ->
            match pair with
            | :? JsonArray as a when a.Count = 2 -> readAccount $"{p}[0]" a[0], readU64 $"{p}[1]" a[1]
            | _ -> malformed p "an [account, amount] pair") (f "balances")
    let start =
        State.create (readU16 "input.netuid" (f "netuid")) (readAccount "input.owner_coldkey" (f "owner_coldkey"))
            (readAccount "input.owner_hotkey" (f "owner_hotkey")) (readParameters "input.parameters" (f "parameters"))
            (readU64 "input.block" (f "block")) (Map.ofArray balances)
    let steps = readArray "input.steps" readStep (f "steps")
    let mutable state = start
    let results =
        steps |> Array.map (fun s ->
            match s with
            | Apply operation ->
                match Chain.apply state operation with
                | Ok next -> state <- next; text "ok"
                | Error e -> text (errorName e)
            | Advance blocks ->
                let epochs = ResizeArray<uint64>()
                for _ in 1 .. blocks do
                    let next, output = Chain.step state
                    if output.IsSome then epochs.Add next.Block
                    state <- next
                obj [ "epochs_at", u64s (epochs.ToArray()) ])
    obj [ "results", JsonArray(results); "final", final state ]
