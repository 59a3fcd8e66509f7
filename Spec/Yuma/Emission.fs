/// <summary>Epoch steps 13–14: how the epoch's alpha is split between miners (incentive) and validators (dividends).</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Emission

open System.Numerics
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// The normalised shares of the epoch's emission.
type Shares = { Server: I32F32[]; Validator: I32F32[]; Combined: I32F32[] }

/// <summary>With c_i = I_i + D_i (saturating) and Σ = Σ c (plain): server = I / Σ, validator = D / Σ (each skipped if
/// Σ = 0), combined = normalize(c). When Σ = 0 (no usable weights): validator and combined become the active stake a,
/// or the stake s itself when a is all zero (no active validator), so the emission still goes somewhere.</summary>
let shares (incentive: I32F32[]) (dividends: I32F32[]) (stake: I32F32[]) (activeStake: I32F32[]) : Shares =
    let combined = Array.map2 Fixed.saturatingAdd (Array.truncate dividends.Length incentive) (Array.truncate incentive.Length dividends)
    let total = Fixed.sum combined
    if total = I32F32.Zero then
        let fallback = if Vector.isZero activeStake then stake else activeStake
        { Server = Array.copy incentive; Validator = Array.copy fallback; Combined = Array.copy fallback }
    else
        { Server = Vector.normalizeUsingSum total incentive
          Validator = Vector.normalizeUsingSum total dividends
          Combined = Vector.normalize combined }

/// <summary>Rao amounts: ⌊I96F32(share) · I96F32(rao)⌋ (saturating), so the amounts can sum slightly below rao.</summary>
/// <example>Ten equal shares of 1e9 rao get 99 999 999 each.</example>
let amounts (raoEmission: uint64) (shares: I32F32[]) : uint64[] =
    let rao = Fixed.saturatingOfInteger<I96F32> (BigInteger raoEmission)
    shares |> Array.map (fun s -> Fixed.saturatingMul (Fixed.saturatingConvert<I32F32, I96F32> s) rao |> Fixed.saturatingToUInt64)
