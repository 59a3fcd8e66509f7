/// <summary>Epoch step 5: the weight matrix the consensus reads.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Yuma.Weights

open Bittensor.Spec.Fixed
open Bittensor.Spec.Math

/// <summary>Stored rows to a sparse I32F32 matrix of n rows: rows beyond n are ignored; entries pointing at uids ≥ n
/// are dropped (weights) or kept (bonds, <paramref name="filterColumns"/> = false), as the chain loads them.
/// Source: <c>get_weights_sparse</c>, <c>bonds_sparse_as_u16_proportion</c>, <c>unnormalized_bonds_sparse</c>.</summary>
let load (n: int) (filterColumns: bool) (toFixed: uint16 -> I32F32) (rows: StoredEntry[][]) : Sparse.Matrix =
    Array.init n (fun i ->
        if i >= rows.Length then [||]
        else rows[i] |> Array.filter (fun e -> not filterColumns || e.Uid < n) |> Array.map (fun e -> Sparse.entry e.Uid (toFixed e.Value)))

/// <summary>The weights W: loaded as integers (I32F32 of the u16, not /65535); rows of uids without a stored permit
/// emptied; the diagonal dropped (except the owner's self-weight); entries (i, j) dropped when i last updated at or
/// before j's registration (weights set for a previous holder of uid j); with commit-reveal, entries dropped when i's
/// earliest unexpired commit is older than j's registration; then each row normalised.
/// Source: <c>epoch_mechanism</c>, "Weights".</summary>
let masked (hp: Hyperparameters) (state: EpochState) (permits: bool[]) : Sparse.Matrix =
    let lastUpdate = Activity.lastUpdate state
    let outdated (updated: uint64) (registered: uint64) = updated <= registered
    let committedBeforeRegistration (commitBlock: uint64) (registered: uint64) = commitBlock < registered
    load state.N true Conversions.u16ToFixed state.Weights
    |> Sparse.maskRows (Array.map not permits)
    |> Sparse.maskDiagExcept state.OwnerUid
    |> Sparse.vecMask outdated lastUpdate state.BlockAtRegistration
    |> (if hp.CommitReveal then Sparse.vecMask committedBeforeRegistration state.CommitBlocks state.BlockAtRegistration else id)
    |> Sparse.rowNormalize
