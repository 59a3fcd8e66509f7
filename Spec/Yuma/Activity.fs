/// <summary>Epoch step 1: which uids are active.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Activity

/// <summary>Activity cutoff A = max(⌊factor · τ / 1000⌋, 1) blocks (saturating u64 multiplication).
/// Source: <c>get_activity_cutoff_blocks</c>.
/// Before 2025-10 the cutoff was the stored <c>ActivityCutoff</c> itself.</summary>
/// <example>The default factor 13 889 gives 5000 at τ = 360, 13 at τ = 1 and 1 at τ = 0.</example>
let cutoff (hp: Hyperparameters) : uint64 =
    if hp.Era = Before2025_10 then uint64 hp.ActivityCutoff else
    let product = if hp.ActivityCutoffFactorMilli > 0UL && uint64 hp.Tempo > System.UInt64.MaxValue / hp.ActivityCutoffFactorMilli then System.UInt64.MaxValue else hp.ActivityCutoffFactorMilli * uint64 hp.Tempo
    max (product / 1000UL) 1UL

/// <summary>LastUpdate padded with 0 up to n; a longer vector is kept whole (the chain never truncates it).</summary>
let lastUpdate (state: EpochState) =
    Array.append state.LastUpdate (Array.zeroCreate (max 0 (state.N - state.LastUpdate.Length)))

/// <summary>inactive_i = last_update_i + A &lt; b (saturating addition): a uid that has not set weights within the
/// cutoff is inactive. Length = that of the padded LastUpdate. Source: <c>epoch_mechanism</c>, "Inactive mask".</summary>
let inactive (hp: Hyperparameters) (state: EpochState) : bool[] =
    let a = cutoff hp
    lastUpdate state |> Array.map (fun updated -> (if updated > System.UInt64.MaxValue - a then System.UInt64.MaxValue else updated + a) < state.Block)
