/// <summary>An example subnet run through the state machine: the node's main job and a source of scenario tests.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.Examples

/// A participant of the example, for display.
type Participant = { Name: string; Coldkey: AccountId; Hotkey: AccountId; IsValidator: bool }

let private participant name isValidator =
    { Name = name; Coldkey = State.exampleAccount (name + "-coldkey"); Hotkey = State.exampleAccount (name + "-hotkey"); IsValidator = isValidator }

/// The owner, three validators and five miners.
let participants =
    [| participant "owner" false
       participant "validator-a" true
       participant "validator-b" true
       participant "validator-c" true
       participant "miner-1" false
       participant "miner-2" false
       participant "miner-3" false
       participant "miner-4" false
       participant "miner-5" false |]

/// <summary>Parameters for a quick example: τ = 20 blocks, everyone may register in one block, a short immunity,
/// weights every 10 blocks.</summary>
let parameters: SubnetParameters =
    { State.defaultParameters with
        Epoch = { State.defaultParameters.Epoch with Tempo = 20us }
        MaxRegistrationsPerBlock = 16
        ImmunityPeriod = 100UL
        WeightsRateLimit = 10UL }

/// <summary>The subnet after registration and staking at block 1: everyone funded with 10 000 TAO; validators stake
/// 6000, 3000 and 1000 TAO.</summary>
let genesis () : SubnetState =
    let owner = participants[0]
    let balances = participants |> Array.map (fun p -> p.Coldkey, 10_000_000_000_000UL) |> Map.ofArray
    let start = State.create 1us owner.Coldkey owner.Hotkey parameters 1UL balances
    let stakes = [| 0UL; 6_000_000_000_000UL; 3_000_000_000_000UL; 1_000_000_000_000UL; 0UL; 0UL; 0UL; 0UL; 0UL |]
    let operations =
        [ for p in participants do yield Register(p.Coldkey, p.Hotkey)
          for p, amount in Array.zip participants stakes do
              if amount > 0UL then yield AddStake(p.Coldkey, p.Hotkey, amount) ]
    let applyOrFail state op =
        match Chain.apply state op with
        | Ok next -> next
        | Error e -> failwith $"the example's own operation {op} was rejected: {e}"
    operations |> List.fold applyOrFail start

/// <summary>The weights each validator sets (over uids 4–8, the miners), before max-upscaling: validators a and b rank
/// the miners alike; validator c favours miner 5 (uid 8), which the others rate lowest.</summary>
let weightsOf (name: string) : (uint16 * uint16)[] =
    match name with
    | "validator-a" -> [| 4us, 50000us; 5us, 40000us; 6us, 30000us; 7us, 20000us; 8us, 1000us |]
    | "validator-b" -> [| 4us, 48000us; 5us, 41000us; 6us, 29000us; 7us, 22000us; 8us, 1500us |]
    | "validator-c" -> [| 4us, 10000us; 8us, 60000us |]
    | _ -> [||]

/// <summary>Runs the example from genesis for <paramref name="epochs"/> epochs. Every block, each validator submits
/// its weights; two rejections are expected and ignored: <c>NeuronNoValidatorPermit</c> until the first epoch hands out
/// permits (by stake), and <c>SettingWeightsTooFast</c> between submissions. Then the chain steps. Returns the final state and each epoch's block and output, in order.</summary>
let run (epochs: int) : SubnetState * (uint64 * Bittensor.Spec.Yuma.EpochOutput) list =
    let submitWeights (state: SubnetState) (p: Participant) =
        let weights = weightsOf p.Name
        match Chain.apply state (SetWeights(p.Hotkey, Array.map fst weights, Array.map snd weights, 0UL)) with
        | Ok next -> next
        | Error SettingWeightsTooFast
        | Error NeuronNoValidatorPermit -> state
        | Error e -> failwith $"{p.Name}'s weights were rejected: {e}"
    let rec loop state (outputs: (uint64 * Bittensor.Spec.Yuma.EpochOutput) list) =
        if outputs.Length >= epochs then state, List.rev outputs
        else
            let withWeights = participants |> Array.filter _.IsValidator |> Array.fold submitWeights state
            match Chain.step withWeights with
            | next, Some output -> loop next ((next.Block, output) :: outputs)
            | next, None -> loop next outputs
    loop (genesis ()) []
