/// <summary>Setting weights directly, and by commit-reveal (v2).</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.WeightSetting

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Spec.Yuma

/// <summary>A submission of a single weight on one's own uid is a self-weight, which needs no permit.</summary>
let isSelfWeight (uid: int) (uids: uint16[]) (values: uint16[]) = values.Length = 1 && uids.Length > 0 && int uids[0] = uid

/// <summary>The checks and the store of <c>do_set_weights</c>, in the chain's order; <paramref name="block"/> is the
/// block recorded (the current block, or the commit block for a reveal).</summary>
/// <remarks>
/// 1 uids and values have equal length (<c>WeightVecNotEqualSize</c>); 2 at most n of them
/// (<c>UidsLengthExceedUidsInSubNet</c>); 3 the hotkey is registered (<c>HotKeyNotRegisteredInSubNet</c>); 4 its stake
/// is at least <c>WeightsMinStake</c> (<c>NotEnoughStakeToSetWeights</c>); 5 the version key is current (0 accepts
/// all; <c>IncorrectWeightVersionKey</c>); 6 without commit-reveal, at least <c>WeightsRateLimit</c> blocks since its
/// last update, or never updated (<c>SettingWeightsTooFast</c>); 7 a permit unless it is a self-weight
/// (<c>NeuronNoValidatorPermit</c>); 8 no duplicate uids (<c>DuplicateUids</c>); 9 every uid exists
/// (<c>UidVecContainInvalidOne</c>); 10 at least min(<c>MinAllowedWeights</c>, n) weights unless a self-weight
/// (<c>WeightVecLengthIsLow</c>); 11 the values are max-upscaled to u16 and, unless a self-weight or the limit is 65535,
/// the largest normalised weight is within <c>MaxWeightLimit</c> (<c>MaxWeightExceeded</c>). Then the row is stored in
/// submission order and, without commit-reveal, <c>LastUpdate</c> is set.
/// </remarks>
let apply (state: SubnetState) (hotkey: AccountId) (uids: uint16[]) (values: uint16[]) (versionKey: uint64) (block: uint64) : Result<SubnetState, SubnetError> =
    let p = state.Parameters
    let n = state.Neurons.Length
    let commitReveal = p.Epoch.CommitReveal
    match State.uidOf state hotkey with
    | _ when uids.Length <> values.Length -> Error WeightVecNotEqualSize
    | _ when uids.Length > n -> Error UidsLengthExceedUidsInSubNet
    | None -> Error HotKeyNotRegisteredInSubNet
    | Some _ when State.hotkeyStake state hotkey < p.WeightsMinStake -> Error NotEnoughStakeToSetWeights
    | Some _ when p.WeightsVersionKey <> 0UL && versionKey < p.WeightsVersionKey -> Error IncorrectWeightVersionKey
    | Some uid ->
        let neuron = state.Neurons[uid]
        let selfWeight = isSelfWeight uid uids values
        let rateLimited = not commitReveal && neuron.LastUpdate <> 0UL && block - min block neuron.LastUpdate < p.WeightsRateLimit
        let stored = Conversions.vecU16MaxUpscaleToU16 values
        if rateLimited then Error SettingWeightsTooFast
        elif not selfWeight && not neuron.ValidatorPermit then Error NeuronNoValidatorPermit
        elif Array.distinct uids |> Array.length <> uids.Length then Error DuplicateUids
        elif uids |> Array.exists (fun u -> int u >= n) then Error UidVecContainInvalidOne
        elif not selfWeight && values.Length < min p.MinAllowedWeights n then Error WeightVecLengthIsLow
        elif not selfWeight && p.MaxWeightLimit <> 65535us && not (Vector.checkVecMaxLimited stored p.MaxWeightLimit) then Error MaxWeightExceeded
        else
            let row = Array.map2 (fun (u: uint16) v -> { Uid = int u; Value = v }) uids stored
            let updated = { neuron with Weights = row; LastUpdate = (if commitReveal then neuron.LastUpdate else block) }
            Ok { state with Neurons = Array.updateAt uid updated state.Neurons }

/// <summary><c>set_weights</c>: refused while commit-reveal is on (<c>CommitRevealEnabled</c>); otherwise
/// <see cref="M:Bittensor.Spec.Subnet.WeightSetting.apply"/> at the current block.</summary>
let setWeights (state: SubnetState) hotkey uids values versionKey =
    if state.Parameters.Epoch.CommitReveal then Error CommitRevealEnabled
    else apply state hotkey uids values versionKey state.Block

/// <summary>The v2 commitment: BLAKE2b-256 of SCALE(hotkey public key (32 bytes) ‖ netuid as u16 ‖ Vec&lt;u16&gt; uids ‖
/// Vec&lt;u16&gt; values ‖ Vec&lt;u16&gt; salt ‖ version key as u64).</summary>
let commitHash (hotkey: AccountId) (netuid: uint16) (uids: uint16[]) (values: uint16[]) (salt: uint16[]) (versionKey: uint64) : byte[] =
    let publicKey = System.Convert.FromHexString(hotkey.Hex.Substring 2)
    [| publicKey; Hashing.u16 netuid; Hashing.u16Vector uids; Hashing.u16Vector values; Hashing.u16Vector salt; Hashing.u64 versionKey |]
    |> Array.concat |> Hashing.blake2b 32

/// <summary><c>commit_weights</c>: needs commit-reveal on (<c>CommitRevealDisabled</c>), a registered hotkey, and the
/// weights rate limit since its last update (<c>CommittingWeightsTooFast</c>); expired commitments are dropped, and at
/// most <c>MaxUnrevealedCommits</c> may remain (<c>TooManyUnrevealedCommits</c>). The commit sets
/// <c>LastUpdate</c> to the block.</summary>
let commit (state: SubnetState) (hotkey: AccountId) (hash: byte[]) : Result<SubnetState, SubnetError> =
    let p = state.Parameters
    match State.uidOf state hotkey with
    | _ when not p.Epoch.CommitReveal -> Error CommitRevealDisabled
    | None -> Error HotKeyNotRegisteredInSubNet
    | Some uid ->
        let neuron = state.Neurons[uid]
        let epoch = State.currentEpoch state
        let pending = state.WeightCommits |> Map.tryFind hotkey |> Option.defaultValue [] |> List.filter (fun c -> not (State.isCommitExpired state epoch c))
        if neuron.LastUpdate <> 0UL && state.Block - min state.Block neuron.LastUpdate < p.WeightsRateLimit then Error CommittingWeightsTooFast
        elif pending.Length >= p.MaxUnrevealedCommits then Error TooManyUnrevealedCommits
        else
            let commitment = { Hash = hash; CommitEpoch = epoch; CommitBlock = state.Block }
            Ok { state with
                   WeightCommits = state.WeightCommits |> Map.add hotkey (pending @ [ commitment ])
                   Neurons = Array.updateAt uid { neuron with LastUpdate = state.Block } state.Neurons }

/// <summary><c>reveal_weights</c>: the hotkey must have commitments (<c>NoWeightsCommitFound</c>); the revealed data must
/// hash to an unexpired one (else <c>ExpiredWeightCommit</c> if it matches an expired one, or
/// <c>InvalidRevealCommitHashNotMatch</c>); and the reveal must fall in the epoch <c>commit epoch +
/// RevealPeriodEpochs</c> (<c>RevealTooEarly</c>). The weights are then set with every check of
/// <see cref="M:Bittensor.Spec.Subnet.WeightSetting.apply"/>, recorded at the commit block; the commitment is
/// removed, and expired ones with it.</summary>
let reveal (state: SubnetState) (hotkey: AccountId) uids values salt versionKey : Result<SubnetState, SubnetError> =
    let epoch = State.currentEpoch state
    match state.WeightCommits |> Map.tryFind hotkey with
    | _ when not state.Parameters.Epoch.CommitReveal -> Error CommitRevealDisabled
    | None
    | Some [] -> Error NoWeightsCommitFound
    | Some commits ->
        let provided = commitHash hotkey state.Netuid uids values salt versionKey
        let expired, live = commits |> List.partition (State.isCommitExpired state epoch)
        match live |> List.tryFindIndex (fun c -> c.Hash = provided) with
        | Some position ->
            let commitment = live[position]
            if epoch < commitment.CommitEpoch + state.Parameters.RevealPeriodEpochs then Error RevealTooEarly
            else
                let remaining = live |> List.removeAt position
                apply state hotkey uids values versionKey commitment.CommitBlock
                |> Result.map (fun s ->
                    { s with WeightCommits = if remaining.IsEmpty then s.WeightCommits.Remove hotkey else s.WeightCommits.Add(hotkey, remaining) })
        | None when expired |> List.exists (fun c -> c.Hash = provided) -> Error ExpiredWeightCommit
        | None -> Error InvalidRevealCommitHashNotMatch
