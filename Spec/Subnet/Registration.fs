/// <summary>Registration (burned) and pruning: how a hotkey gets a uid.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.Registration

/// <summary>The uids that are never pruned: the owner's hotkey, and up to <c>ImmuneOwnerUidsLimit</c> hotkeys of the
/// owner's coldkey, oldest registration first (then lower uid).</summary>
let ownerImmortalUids (state: SubnetState) : Set<int> =
    let ownerHotkey = State.uidOf state state.OwnerHotkey |> Option.toList
    let ownerColdkeyUids =
        state.Neurons |> Array.indexed |> Array.filter (fun (_, n) -> n.Coldkey = state.OwnerColdkey)
        |> Array.sortBy (fun (uid, n) -> n.RegistrationBlock, uid) |> Array.truncate state.Parameters.ImmuneOwnerUidsLimit |> Array.map fst
    Set.ofList ownerHotkey + Set.ofArray ownerColdkeyUids

/// <summary>The uid a full subnet replaces (<c>get_neuron_to_prune</c>): among uids that are not owner-immortal, the
/// lowest last-epoch <c>Emission</c>, ties to the earlier registration block, then the lower uid. Non-immune uids are
/// chosen while there are more than <c>MinNonImmuneUids</c> of them; otherwise the best immune one. None when every
/// uid is owner-immortal.</summary>
let neuronToPrune (state: SubnetState) : int option =
    let immortal = ownerImmortalUids state
    let candidates = state.Neurons |> Array.indexed |> Array.filter (fun (uid, _) -> not (immortal.Contains uid))
    let nonImmune, immune = candidates |> Array.partition (fun (_, n) -> not (State.isImmune state n))
    let best (group: (int * Neuron)[]) = group |> Array.sortBy (fun (uid, n) -> n.Emission, n.RegistrationBlock, uid) |> Array.tryHead |> Option.map fst
    let nonImmuneCount = state.Neurons |> Array.filter (fun n -> not (State.isImmune state n)) |> Array.length
    if nonImmuneCount > state.Parameters.MinNonImmuneUids && nonImmune.Length > 0 then best nonImmune
    else best immune |> Option.orElse (best nonImmune)

/// <summary>Replaces uid <paramref name="uid"/> by a new neuron (<c>clear_neuron</c> then <c>replace_neuron</c>): its
/// own weight and bond rows go, weights <i>pointing</i> to it are set to 0 but kept (the epoch's outdated-weight mask
/// then ignores them), and bonds pointing to it are left for the epoch's recently-registered mask.</summary>
let private replace (state: SubnetState) (uid: int) (fresh: Neuron) : Neuron[] =
    state.Neurons |> Array.mapi (fun i neuron ->
        if i = uid then fresh
        else { neuron with Weights = neuron.Weights |> Array.map (fun e -> if e.Uid = uid then { e with Value = 0us } else e) })

let private saturatingIncrement (count: uint16) = if count = System.UInt16.MaxValue then count else count + 1us

/// <summary><c>burned_register</c>: pays <c>Burn</c> from the coldkey and gives the hotkey a uid: the next uid while
/// the subnet has fewer than <c>MaxAllowedUids</c>, otherwise the pruned one. Checks, in order:
/// at most <c>MaxRegistrationsPerBlock</c> per block; the hotkey is not yet registered; the coldkey can pay; a uid can
/// be pruned. Counts the registration in this block and in this adjustment interval.</summary>
let register (state: SubnetState) (coldkey: AccountId) (hotkey: AccountId) : Result<SubnetState, SubnetError> =
    let p = state.Parameters
    let cost = p.Burn
    if state.RegistrationsThisBlock >= p.MaxRegistrationsPerBlock then Error TooManyRegistrationsThisBlock
    elif (State.uidOf state hotkey).IsSome then Error HotKeyAlreadyRegisteredInSubNet
    elif State.balance state coldkey < cost then Error NotEnoughBalanceToStake
    else
        let fresh = State.newNeuron state.Block coldkey hotkey
        let neurons =
            if state.Neurons.Length < p.MaxAllowedUids then Some(Array.append state.Neurons [| fresh |])
            else neuronToPrune state |> Option.map (fun uid -> replace state uid fresh)
        match neurons with
        | None -> Error NoNeuronIdAvailable
        | Some neurons ->
            Ok { state with
                   Neurons = neurons
                   Balances = state.Balances |> Map.add coldkey (State.balance state coldkey - cost)
                   RegistrationsThisBlock = state.RegistrationsThisBlock + 1
                   RegistrationsThisInterval = saturatingIncrement state.RegistrationsThisInterval
                   BurnRegistrationsThisInterval = saturatingIncrement state.BurnRegistrationsThisInterval }
