/// <summary>The subnet's state machine: an operation either succeeds with a new state or fails with a named error and
/// no change.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.Chain

/// <summary>Applies one operation at the current block.</summary>
let apply (state: SubnetState) (operation: Operation) : Result<SubnetState, SubnetError> =
    match operation with
    | Register(coldkey, hotkey) -> Registration.register state coldkey hotkey
    | ServeAxon(hotkey, version, ip, port, ipType, protocol) -> Staking.serveAxon state hotkey version ip port ipType protocol
    | SetWeights(hotkey, uids, values, versionKey) -> WeightSetting.setWeights state hotkey uids values versionKey
    | CommitWeights(hotkey, hash) -> WeightSetting.commit state hotkey hash
    | RevealWeights(hotkey, uids, values, salt, versionKey) -> WeightSetting.reveal state hotkey uids values salt versionKey
    | AddStake(coldkey, hotkey, amount) -> Staking.addStake state coldkey hotkey amount
    | RemoveStake(coldkey, hotkey, amount) -> Staking.removeStake state coldkey hotkey amount

/// <summary>Advances one block (see <see cref="M:Bittensor.Spec.Subnet.BlockStep.step"/>).</summary>
let step (state: SubnetState) = BlockStep.step state
