/// <summary>Staking and serving: <c>add_stake</c>, <c>remove_stake</c> and <c>serve_axon</c>.</summary>
/// <remarks>Staking here is the stable mechanism: one TAO buys one alpha. Dynamic (pool-priced) subnets are not
/// modelled.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.Staking

open System.Numerics

let private stakeOf (state: SubnetState) hotkey coldkey = state.Stake |> Map.tryFind (hotkey, coldkey) |> Option.defaultValue 0UL

/// <summary>Moves <paramref name="amount"/> rao of free balance into stake on a registered hotkey. Checks, in order:
/// amount ≥ <c>MinStake</c> (<c>AmountTooLow</c>); the hotkey is registered (<c>HotKeyAccountNotExists</c>); the
/// balance covers it (<c>NotEnoughBalanceToStake</c>).</summary>
let addStake (state: SubnetState) (coldkey: AccountId) (hotkey: AccountId) (amount: uint64) : Result<SubnetState, SubnetError> =
    if amount < state.Parameters.MinStake then Error AmountTooLow
    elif (State.uidOf state hotkey).IsNone then Error HotKeyAccountNotExists
    elif State.balance state coldkey < amount then Error NotEnoughBalanceToStake
    else
        Ok { state with
               Balances = state.Balances.Add(coldkey, State.balance state coldkey - amount)
               Stake = state.Stake.Add((hotkey, coldkey), stakeOf state hotkey coldkey + amount) }

/// <summary>Moves stake back to free balance. Checks, in order: amount ≥ <c>MinStake</c> (<c>AmountTooLow</c>); the
/// hotkey is registered (<c>HotKeyAccountNotExists</c>); the coldkey has that much on it
/// (<c>NotEnoughStakeToWithdraw</c>). An emptied stake entry is removed.</summary>
let removeStake (state: SubnetState) (coldkey: AccountId) (hotkey: AccountId) (amount: uint64) : Result<SubnetState, SubnetError> =
    let staked = stakeOf state hotkey coldkey
    if amount < state.Parameters.MinStake then Error AmountTooLow
    elif (State.uidOf state hotkey).IsNone then Error HotKeyAccountNotExists
    elif staked < amount then Error NotEnoughStakeToWithdraw
    else
        Ok { state with
               Balances = state.Balances.Add(coldkey, State.balance state coldkey + amount)
               Stake = if staked = amount then state.Stake.Remove((hotkey, coldkey)) else state.Stake.Add((hotkey, coldkey), staked - amount) }

/// <summary>An IP is valid when it is not 0, and, for IPv4, below 2^32 − 1; for IPv6, below 2^128 − 1.</summary>
let isValidIp (ipType: byte) (ip: BigInteger) =
    ip > 0I && (if ipType = 4uy then ip < BigInteger System.UInt32.MaxValue else ip < BigInteger.Pow(2I, 128) - 1I)

/// <summary><c>serve_axon</c>: the hotkey is registered (<c>HotKeyNotRegisteredInSubNet</c>); the IP type is 4 or 6
/// (<c>InvalidIpType</c>); the IP is valid (<c>InvalidIpAddress</c>); and, if it served before, at least
/// <c>ServingRateLimit</c> blocks ago (<c>ServingRateLimitExceeded</c>). Records the axon at the current block.</summary>
let serveAxon (state: SubnetState) (hotkey: AccountId) version ip port ipType protocol : Result<SubnetState, SubnetError> =
    match State.uidOf state hotkey with
    | None -> Error HotKeyNotRegisteredInSubNet
    | Some _ when ipType <> 4uy && ipType <> 6uy -> Error InvalidIpType
    | Some _ when not (isValidIp ipType ip) -> Error InvalidIpAddress
    | Some uid ->
        let neuron = state.Neurons[uid]
        let limit = state.Parameters.ServingRateLimit
        match neuron.Axon with
        | Some previous when limit > 0UL && previous.Block > 0UL && state.Block - min state.Block previous.Block < limit -> Error ServingRateLimitExceeded
        | _ ->
            let axon = { Block = state.Block; Version = version; Ip = ip; Port = port; IpType = ipType; Protocol = protocol; Placeholder1 = 0uy; Placeholder2 = 0uy }
            Ok { state with Neurons = Array.updateAt uid { neuron with Axon = Some axon } state.Neurons }
