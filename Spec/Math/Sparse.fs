/// <summary>Sparse matrix helpers, the forms the on-chain epoch runs on. Row i lists its stored cells as (column, value)
/// in stored order (weights keep the order they were submitted in); a column absent from a row is 0.</summary>
/// <remarks>Source: <c>pallets/subtensor/src/epoch/math.rs</c> (the <c>*_sparse</c> functions). Where the chain passes
/// <c>columns</c> (n), entries at or beyond it are ignored by the densifying helpers.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Math.Sparse

open Bittensor.Spec.Fixed

/// One stored cell of a sparse row.
[<Struct>]
type Entry = { Col: int; Value: I32F32 }

type Matrix = Entry[][]

let private zero = I32F32.Zero
let entry col value = { Col = col; Value = value }

/// The positive cells of a dense row, in ascending column order: how densified results are stored back.
let private positiveCells (row: I32F32[]) = row |> Array.indexed |> Array.filter (fun (_, v) -> v > zero) |> Array.map (fun (j, v) -> entry j v)

/// Row i densified to `columns` cells; later duplicates overwrite earlier ones; columns ≥ `columns` ignored.
let private densify (columns: int) (row: Entry[]) =
    let dense = Array.create columns zero
    for e in row do
        if e.Col < columns then dense[e.Col] <- e.Value
    dense

/// <summary>Σ of each row's stored values (plain sums). Source: <c>row_sum_sparse</c>.</summary>
let rowSum (m: Matrix) = m |> Array.map (fun row -> row |> Array.map _.Value |> Fixed.sum)

/// <summary>Each row divided by its sum where the sum is &gt; 0; entries keep their order, zeros stay.
/// Source: <c>inplace_row_normalize_sparse</c>.</summary>
let rowNormalize (m: Matrix) : Matrix =
    m |> Array.map (fun row ->
        let s = row |> Array.map _.Value |> Fixed.sum
        if s > zero then row |> Array.map (fun e -> { e with Value = Fixed.safeDiv e.Value s }) else Array.copy row)

/// Per-column totals of the entries with column < `columns`.
let private columnTotals (combine: I32F32 -> I32F32 -> I32F32) (columns: int) (m: Matrix) =
    let totals = Array.create columns zero
    for row in m do
        for e in row do
            if e.Col < columns then totals[e.Col] <- combine totals[e.Col] e.Value
    totals

let private divideByColumn (totals: I32F32[]) (m: Matrix) : Matrix =
    m |> Array.map (Array.map (fun e ->
        let t = Vector.getOrZero totals e.Col
        if t <> zero then { e with Value = Fixed.safeDiv e.Value t } else e))

/// <summary>Each entry divided by its column's saturating sum where that sum ≠ 0; entries with column ≥
/// <paramref name="columns"/> are untouched. Source: <c>inplace_col_normalize_sparse</c>.</summary>
let colNormalize (m: Matrix) (columns: int) : Matrix = divideByColumn (columnTotals Fixed.saturatingAdd columns m) m

/// <summary>Each entry divided by its column's maximum (starting from 0) where that maximum ≠ 0.
/// Source: <c>inplace_col_max_upscale_sparse</c>.</summary>
let colMaxUpscale (m: Matrix) (columns: int) : Matrix = divideByColumn (columnTotals max columns m) m

/// <summary>Masked rows become empty; a row beyond the mask's end counts as masked. Source: <c>mask_rows_sparse</c>.</summary>
let maskRows (mask: bool[]) (m: Matrix) : Matrix =
    m |> Array.mapi (fun i row -> if i >= mask.Length || mask[i] then [||] else Array.copy row)

/// <summary>Drops the diagonal cells (i, i), except (k, k) when <paramref name="exceptIndex"/> = Some k (the subnet
/// owner's self-weight). Source: <c>mask_diag_sparse</c>, <c>mask_diag_sparse_except_index</c>.</summary>
let maskDiagExcept (exceptIndex: int option) (m: Matrix) : Matrix =
    m |> Array.mapi (fun i row -> row |> Array.filter (fun e -> e.Col <> i || exceptIndex = Some i))

/// <summary>Drops (i, j) where drop(first_i, second_j); a missing value reads as 0.
/// Source: <c>vec_mask_sparse_matrix</c>.</summary>
let vecMask (drop: uint64 -> uint64 -> bool) (first: uint64[]) (second: uint64[]) (m: Matrix) : Matrix =
    let at (v: uint64[]) i = if i < v.Length then v[i] else 0UL
    m |> Array.mapi (fun i row -> row |> Array.filter (fun e -> not (drop (at first i) (at second e.Col))))

/// <summary>Drops (i, j) where drop(scalar, v_j); a missing v_j reads as 0.
/// Source: <c>scalar_vec_mask_sparse_matrix</c>.</summary>
let scalarVecMask (drop: uint64 -> uint64 -> bool) (scalar: uint64) (v: uint64[]) (m: Matrix) : Matrix =
    m |> Array.map (Array.filter (fun e -> not (drop scalar (if e.Col < v.Length then v[e.Col] else 0UL))))

/// <summary>m_ij · v_i (saturating), rows paired with v until either ends. Source: <c>row_hadamard_sparse</c>.</summary>
let rowHadamard (m: Matrix) (v: I32F32[]) : Matrix =
    Array.map2 (fun row s -> row |> Array.map (fun e -> { e with Value = Fixed.saturatingMul e.Value s })) (Array.truncate v.Length m) (Array.truncate m.Length v)

/// <summary>r_j = Σ_i v_i · m_ij for j &lt; columns (saturating multiply-then-add, accumulated row by row in row order
/// and entry order inside a row); a row beyond v's end uses v_i = 0. Source: <c>matmul_sparse</c>.</summary>
let matmul (m: Matrix) (v: I32F32[]) (columns: int) : I32F32[] =
    let result = Array.create columns zero
    m |> Array.iteri (fun i row ->
        let s = Vector.getOrZero v i
        for e in row do
            if e.Col < columns then result[e.Col] <- Fixed.saturatingAdd result[e.Col] (Fixed.saturatingMul s e.Value))
    result

/// <summary>r_i = Σ_j v_j · m_ij (saturating; a missing v_j is 0). Source: <c>matmul_transpose_sparse</c>.</summary>
let matmulTranspose (m: Matrix) (v: I32F32[]) : I32F32[] =
    m |> Array.map (Array.fold (fun acc e -> Fixed.saturatingAdd acc (Fixed.saturatingMul (Vector.getOrZero v e.Col) e.Value)) zero)

/// <summary>Clips each entry to its column's threshold c_j (a missing threshold is 0): an entry above c_j becomes c_j
/// if c_j &gt; 0 and is <b>dropped</b> otherwise; entries at or below c_j are kept as they are (so explicit zero
/// weights survive). Source: <c>col_clip_sparse</c>.</summary>
let colClip (m: Matrix) (threshold: I32F32[]) : Matrix =
    m |> Array.map (fun row ->
        row |> Array.choose (fun e ->
            let c = Vector.getOrZero threshold e.Col
            if c < e.Value then (if c > zero then Some { e with Value = c } else None) else Some e))

/// <summary>m_ij · v_j (saturating) for entries whose column v covers; zero products are dropped.
/// Source: <c>mat_vec_mul_sparse</c>.</summary>
let matVecMul (m: Matrix) (v: I32F32[]) : Matrix =
    m |> Array.map (Array.choose (fun e ->
        if e.Col < v.Length then
            let p = Fixed.saturatingMul e.Value v[e.Col]
            if p <> zero then Some { e with Value = p } else None
        else None))

/// <summary>A + ratio · (B − A). ratio = 0 returns A unchanged (same order, zeros kept), ratio = 1 returns B unchanged;
/// different row counts return B; otherwise both rows are densified to <paramref name="columns"/> and the cells with a
/// positive result are kept in ascending column order. Source: <c>interpolate_sparse</c>.</summary>
let interpolate (a: Matrix) (b: Matrix) (columns: int) (ratio: I32F32) : Matrix =
    if ratio = zero then a
    elif ratio = I32F32.One then b
    elif a.Length <> b.Length then b
    else
        Array.map2 (fun rowA rowB ->
            Array.map2 (fun x y -> Fixed.saturatingAdd x (Fixed.saturatingMul ratio (Fixed.saturatingSub y x))) (densify columns rowA) (densify columns rowB)
            |> positiveCells) a b

/// <summary>α · new + (1 − α) · old over the union of cells: row i is densified to n = the number of rows (entries at
/// or beyond n ignored; duplicates add up), α·new added first and (1 − α)·old second (saturating), and the positive
/// cells kept in ascending column order. Mismatched row counts are not an error: old rows that are missing count as
/// empty. Source: <c>mat_ema_sparse</c>.</summary>
let matEma (newM: Matrix) (oldM: Matrix) (alpha: I32F32) : Matrix =
    let n = newM.Length
    let keep = Fixed.saturatingSub I32F32.One alpha
    newM |> Array.mapi (fun i newRow ->
        let acc = Array.create n zero
        let addScaled (scale: I32F32) (row: Entry[]) =
            for e in row do
                if e.Col < n then acc[e.Col] <- Fixed.saturatingAdd acc[e.Col] (Fixed.saturatingMul scale e.Value)
        addScaled alpha newRow
        if i < oldM.Length then addScaled keep oldM[i]
        positiveCells acc)

/// <summary>The liquid-alpha EMA: for row i with per-column coefficients A_i, first decayed_j = (1 − A_ij) · old_ij for
/// the old entries (a later duplicate overwrites), then for <b>the entries of the new row only</b>, in the new row's
/// order: v = min(decayed_j + max(A_ij · new_ij, 0), 1), kept if v &gt; 0. An old bond whose column has no entry in the
/// new row is <b>dropped</b>, not decayed. Columns beyond A_i are ignored. Any row-count mismatch returns new
/// unchanged. Source: <c>mat_ema_alpha_sparse</c>.</summary>
let matEmaAlpha (newM: Matrix) (oldM: Matrix) (alpha: I32F32[][]) : Matrix =
    if newM.Length <> oldM.Length || newM.Length <> alpha.Length then newM
    else
        Array.init newM.Length (fun i ->
            let a = alpha[i]
            let decayed = Array.create a.Length zero
            for e in oldM[i] do
                if e.Col < a.Length then decayed[e.Col] <- Fixed.saturatingMul (Fixed.saturatingSub I32F32.One a[e.Col]) e.Value
            newM[i] |> Array.choose (fun e ->
                if e.Col < a.Length then
                    let v = min (Fixed.saturatingAdd decayed[e.Col] (max (Fixed.saturatingMul a[e.Col] e.Value) zero)) I32F32.One
                    if v > zero then Some { e with Value = v } else None
                else None))

/// <summary>Consensus: per column c &lt; columns, the stake-weighted median of the column over the rows with positive
/// stake (in uid order, rows paired with stake until either ends), a row without an entry in c voting 0. The positive
/// stakes are normalised once; minority = Σ normalised − κ. A column with no positive-stake voter gives 0.
/// Source: <c>weighted_median_col_sparse</c>.</summary>
/// <example>Five equal stakes with scores [0.8, 0.2, 1, 0.6, 0.4] and κ = 0.51 give 0.6.</example>
let weightedMedianCol (stake: I32F32[]) (score: Matrix) (columns: int) (majority: I32F32) : I32F32[] =
    let voters = Array.truncate score.Length stake |> Array.indexed |> Array.filter (fun (_, s) -> s > zero)
    let positiveStake = stake |> Array.filter (fun s -> s > zero)
    let votes = voters |> Array.map (fun (r, _) -> densify columns score[r])
    Array.init columns (fun c ->
        // every positive-stake uid votes, even one past the end of the score rows (it votes 0)
        let column = Array.init positiveStake.Length (fun k -> if k < votes.Length then votes[k][c] else zero)
        WeightedMedian.ofColumn positiveStake column majority)
