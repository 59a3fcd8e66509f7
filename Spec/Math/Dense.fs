/// <summary>Dense matrix helpers: a matrix is an array of rows (row i = validator i), rows may be ragged, and every
/// function reproduces the chain's handling of ragged and empty input. The chain's epoch runs on sparse matrices;
/// these dense forms are used by its <c>epoch_dense</c> and by tests, and are kept so that both can be checked.</summary>
/// <remarks>Source: <c>pallets/subtensor/src/epoch/math.rs</c>. "[[]]" below is one empty row, the chain's
/// <c>vec![vec![]]</c>.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Math.Dense

open Bittensor.Spec.Fixed

type Matrix = I32F32[][]

let private zero = I32F32.Zero
let private emptyRow: Matrix = [| [||] |]
let private isDegenerate (m: Matrix) = m.Length = 0 || m[0].Length = 0

/// <summary>Σ_j m_ij per row (plain sums); [] when the first row is empty. Source: <c>row_sum</c>.</summary>
let rowSum (m: Matrix) : I32F32[] = if m.Length > 0 && m[0].Length = 0 then [||] else m |> Array.map Fixed.sum

/// <summary>Each row divided by its sum (truncating safe_div), only where the sum is &gt; 0.
/// Source: <c>inplace_row_normalize</c>.</summary>
let rowNormalize (m: Matrix) : Matrix =
    m |> Array.map (fun row -> let s = Fixed.sum row in if s > zero then row |> Array.map (fun x -> Fixed.safeDiv x s) else Array.copy row)

/// <summary><see cref="M:Bittensor.Spec.Math.Dense.rowNormalize"/> in I64F64. Source: <c>inplace_row_normalize_64</c>.</summary>
let rowNormalize64 (m: I64F64[][]) : I64F64[][] =
    m |> Array.map (fun row -> let s = Fixed.sum row in if s > I64F64.Zero then row |> Array.map (fun x -> Fixed.safeDiv x s) else Array.copy row)

/// Per-column totals over ragged rows: column c folds `combine` over the rows that have a column c.
let private columnFold (combine: I32F32 -> I32F32 -> I32F32) (m: Matrix) =
    let width = if m.Length = 0 then 0 else m |> Array.map Array.length |> Array.max
    Array.init width (fun c -> m |> Array.fold (fun acc row -> if c < row.Length then combine acc row[c] else acc) zero)

/// Divides every existing entry by its column's total, where that total is not 0.
let private divideByColumn (totals: I32F32[]) (m: Matrix) : Matrix =
    m |> Array.map (Array.mapi (fun c x -> if c < totals.Length && totals[c] <> zero then Fixed.safeDiv x totals[c] else x))

/// <summary>Each column divided by its (saturating) sum where the sum ≠ 0; ragged rows: missing cells count as 0.
/// Source: <c>inplace_col_normalize</c>.</summary>
let colNormalize (m: Matrix) : Matrix = divideByColumn (columnFold Fixed.saturatingAdd m) m

/// <summary>Each column divided by its maximum (the maximum starts at 0) where that maximum ≠ 0.
/// Source: <c>inplace_col_max_upscale</c>.</summary>
let colMaxUpscale (m: Matrix) : Matrix = divideByColumn (columnFold max m) m

/// <summary>Zeroes m_rc where mask_rc is true; a missing mask cell counts as masked; an empty mask (or empty first
/// mask row) changes nothing. Source: <c>inplace_mask_matrix</c>.</summary>
let maskMatrix (mask: bool[][]) (m: Matrix) : Matrix =
    if mask.Length = 0 || mask[0].Length = 0 then Array.map Array.copy m
    else m |> Array.mapi (fun r row -> row |> Array.mapi (fun c x -> if r >= mask.Length || c >= mask[r].Length || mask[r][c] then zero else x))

/// <summary>Replaces masked rows by zeros of the first row's width (a missing mask entry counts as masked).
/// Source: <c>inplace_mask_rows</c>.</summary>
let maskRows (mask: bool[]) (m: Matrix) : Matrix =
    if m.Length = 0 then [||]
    else m |> Array.mapi (fun r row -> if r >= mask.Length || mask[r] then Array.create m[0].Length zero else Array.copy row)

/// <summary>Zeroes column c in every row where mask_c is true (or c is beyond the mask). Source: <c>inplace_mask_cols</c>.</summary>
let maskCols (mask: bool[]) (m: Matrix) : Matrix =
    m |> Array.map (Array.mapi (fun c x -> if c >= mask.Length || mask[c] then zero else x))

/// <summary>Zeroes the diagonal, except (k, k) when <paramref name="exceptIndex"/> = Some k. Only for square matrices
/// (row count = first row's width); anything else, or an empty first row, is returned unchanged.
/// Source: <c>inplace_mask_diag</c>, <c>inplace_mask_diag_except_index</c>.</summary>
let maskDiagExcept (exceptIndex: int option) (m: Matrix) : Matrix =
    if isDegenerate m || m.Length <> m[0].Length then Array.map Array.copy m
    else m |> Array.mapi (fun i row -> row |> Array.mapi (fun j x -> if i = j && exceptIndex <> Some i then zero else x))

/// <summary>m_ij · v_i (saturating), rows paired with v until either ends; [[]] for an empty matrix or first row.
/// Source: <c>row_hadamard</c>.</summary>
let rowHadamard (m: Matrix) (v: I32F32[]) : Matrix =
    if isDegenerate m then emptyRow
    else Array.map2 (fun row s -> row |> Array.map (Fixed.saturatingMul s)) (Array.truncate v.Length m) (Array.truncate m.Length v)

/// <summary>r_j = Σ_i v_i · m_ij (saturating ops, row order), over the first row's width; a row beyond v's end uses
/// v_i = 0; [] for an empty matrix or first row. Source: <c>matmul</c>.</summary>
let matmul (m: Matrix) (v: I32F32[]) : I32F32[] =
    if isDegenerate m then [||]
    else
        let width = m[0].Length
        m |> Array.indexed |> Array.fold (fun (acc: I32F32[]) (i, row) ->
            let s = Vector.getOrZero v i
            acc |> Array.mapi (fun j a -> if j < row.Length then Fixed.saturatingAdd a (Fixed.saturatingMul s row[j]) else a))
            (Array.create width zero)

/// <summary>r_i = Σ_j m_ij · v_j (saturating), over min(row, v) length; [] for an empty matrix or first row.
/// Source: <c>matmul_transpose</c>.</summary>
let matmulTranspose (m: Matrix) (v: I32F32[]) : I32F32[] =
    if isDegenerate m then [||]
    else m |> Array.map (fun row -> Array.fold2 (fun acc x y -> Fixed.saturatingAdd acc (Fixed.saturatingMul x y)) zero (Array.truncate v.Length row) (Array.truncate row.Length v))

/// <summary>min(m_ij, c_j) over the columns that have a threshold. Source: <c>inplace_col_clip</c>.</summary>
let colClip (m: Matrix) (threshold: I32F32[]) : Matrix =
    m |> Array.map (Array.mapi (fun j x -> if j < threshold.Length then min threshold[j] x else x))

/// <summary>Each row times v entrywise (<see cref="M:Bittensor.Spec.Math.Vector.vecMul"/>: checked, 0 on overflow);
/// [[]] for an empty matrix or first row. Source: <c>mat_vec_mul</c>.</summary>
let matVecMul (m: Matrix) (v: I32F32[]) : Matrix = if isDegenerate m then emptyRow else m |> Array.map (fun row -> Vector.vecMul row v)

/// <summary>A + ratio · (B − A) cellwise (saturating). ratio = 0 returns A and ratio = 1 returns B exactly (compared by
/// bits); otherwise the result has A's shape (first row's width), rows walked in step until B runs out, cells beyond
/// the shorter of a row pair left 0; [[]] for an empty A. Source: <c>interpolate</c>.</summary>
let interpolate (a: Matrix) (b: Matrix) (ratio: I32F32) : Matrix =
    if ratio = zero then a
    elif ratio = I32F32.One then b
    elif isDegenerate a then emptyRow
    else
        a |> Array.mapi (fun i rowA ->
            Array.init a[0].Length (fun j ->
                if i < b.Length && j < rowA.Length && j < b[i].Length then
                    let x, y = rowA[j], b[i][j]
                    Fixed.saturatingAdd x (Fixed.saturatingMul ratio (Fixed.saturatingSub y x))
                else zero))

/// <summary>α · new + (1 − α) · old cellwise (floor products, saturating add, no clamping), rows and cells paired
/// until either ends; [[]] for an empty new. Source: <c>mat_ema</c>.</summary>
let matEma (newM: Matrix) (oldM: Matrix) (alpha: I32F32) : Matrix =
    if isDegenerate newM then emptyRow
    else
        let keep = Fixed.saturatingSub I32F32.One alpha
        Array.map2 (fun (n: I32F32[]) (o: I32F32[]) ->
            Array.map2 (fun x y -> Fixed.saturatingAdd (Fixed.saturatingMul alpha x) (Fixed.saturatingMul keep y)) (Array.truncate o.Length n) (Array.truncate n.Length o))
            (Array.truncate oldM.Length newM) (Array.truncate newM.Length oldM)

/// <summary>min((1 − A_ij) · old_ij + max(A_ij · new_ij, 0), 1) cellwise. Shapes: [[]] for an empty new; different row
/// counts → <b>old</b> unchanged; any row-length mismatch → <b>new</b> unchanged. Source: <c>mat_ema_alpha</c>.</summary>
let matEmaAlpha (newM: Matrix) (oldM: Matrix) (alpha: Matrix) : Matrix =
    if isDegenerate newM then emptyRow
    elif newM.Length <> oldM.Length || newM.Length <> alpha.Length then oldM
    elif Array.exists2 (fun (n: I32F32[]) (o: I32F32[]) -> n.Length <> o.Length) newM oldM || Array.exists2 (fun (n: I32F32[]) (a: I32F32[]) -> n.Length <> a.Length) newM alpha then newM
    else
        Array.init newM.Length (fun i ->
            Array.init newM[i].Length (fun j ->
                let a, o, n = alpha[i][j], oldM[i][j], newM[i][j]
                let decayed = Fixed.saturatingMul (Fixed.saturatingSub I32F32.One a) o
                let increment = max (Fixed.saturatingMul a n) zero
                min (Fixed.saturatingAdd decayed increment) I32F32.One))

/// <summary>Per column c: the stake-weighted median of column c over the rows with positive stake. Rows with positive
/// stake but a missing row or a width other than the first row's take part with stake 0 and score 0; the
/// participating stakes are re-normalised per column. Source: <c>weighted_median_col</c>.</summary>
let weightedMedianCol (stake: I32F32[]) (score: Matrix) (majority: I32F32) : I32F32[] =
    let columns = if score.Length = 0 then 0 else score[0].Length
    Array.init columns (fun c ->
        let participants =
            stake |> Array.indexed |> Array.filter (fun (_, s) -> s > zero) |> Array.map (fun (r, s) ->
                if r < score.Length && score[r].Length = columns then s, score[r][c] else zero, zero)
        if participants.Length = 0 then zero
        else WeightedMedian.ofColumn (Array.map fst participants) (Array.map snd participants) majority)
