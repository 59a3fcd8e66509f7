/// <summary>Epoch steps 2–4: stake, validator permits and active stake.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Stake

open System.Numerics
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// <summary>w_tao = U96F32(TaoWeight) / U96F32(2^64 − 1) (saturating_div, truncating), widened exactly to I64F64.
/// Source: <c>get_tao_weight</c>.</summary>
let taoWeight (hp: Hyperparameters) : I64F64 =
    let quotient = Fixed.saturatingDiv (Fixed.ofInteger<U96F32> (BigInteger hp.TaoWeight)) (Fixed.ofInteger (BigInteger System.UInt64.MaxValue))
    Fixed.saturatingConvert quotient

/// <summary>S_i = α_i + t_i · w_tao in I64F64 (saturating add and floor-multiply), for uids 0 … n − 1 (a missing stake
/// reads as 0). Source: <c>get_stake_weights_for_network</c>.</summary>
let total (hp: Hyperparameters) (state: EpochState) : I64F64[] =
    let w = taoWeight hp
    let at (v: uint64[]) i = if i < v.Length then v[i] else 0UL
    Array.init state.N (fun i ->
        let alpha = Fixed.saturatingOfInteger<I64F64> (BigInteger(at state.AlphaStake i))
        let tao = Fixed.saturatingOfInteger<I64F64> (BigInteger(at state.TaoStake i))
        Fixed.saturatingAdd alpha (Fixed.saturatingMul tao w))

/// <summary>Stake weights s: S_i is zeroed when ⌊S_i⌋ &lt; StakeThreshold unless i is the owner, normalised in I64F64
/// (truncating; unchanged if all zero), then floored to I32F32 (saturating).
/// Source: <c>epoch_mechanism</c>, "Stake".</summary>
/// <example>Ten equal stakes give 429496729 ulps each (1/10 floored), summing to one part in 2^32 below 1.</example>
let weights (hp: Hyperparameters) (state: EpochState) (totalStake: I64F64[]) : I32F32[] =
    totalStake
    |> Array.mapi (fun uid s -> if state.OwnerUid <> Some uid && Fixed.saturatingToUInt64 s < hp.StakeThreshold then I64F64.Zero else s)
    |> Vector.normalize64
    |> Conversions.vecFixed64ToFixed32

/// Sets the owner's entry to true when the owner uid is within the vector.
let private withOwner (owner: int option) (permits: bool[]) =
    match owner with
    | Some o when o < permits.Length -> Array.updateAt o true permits
    | _ -> permits

/// <summary>The permits the epoch uses to filter validators: the stored permits with the owner's forced to true.
/// A stored vector shorter than n leaves the missing uids without a permit.</summary>
let storedPermits (state: EpochState) : bool[] = withOwner state.OwnerUid state.ValidatorPermits

/// <summary>New permits: the K largest non-zero stake weights (<c>is_topk_nonzero</c>; ties drop lower uids first),
/// plus the owner. Written to <c>ValidatorPermit</c> for the next epoch.</summary>
let newPermits (hp: Hyperparameters) (state: EpochState) (stake: I32F32[]) : bool[] =
    Vector.isTopkNonzero stake (int hp.MaxAllowedValidators) |> withOwner state.OwnerUid

/// <summary>Active stake a: s with inactive uids and uids without a (stored) permit zeroed, then normalised.
/// Source: <c>epoch_mechanism</c>, "Active Stake".</summary>
let active (stake: I32F32[]) (inactive: bool[]) (permits: bool[]) : I32F32[] =
    stake |> Vector.maskVector inactive |> Vector.maskVector (Array.map not permits) |> Vector.normalize
