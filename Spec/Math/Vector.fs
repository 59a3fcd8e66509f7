/// <summary>Vector helpers of the epoch. Vectors are arrays indexed by uid; functions never mutate their input (the
/// chain's <c>inplace_*</c> functions become functions that return the new vector).</summary>
/// <remarks>Source: <c>pallets/subtensor/src/epoch/math.rs</c>. Sums written <c>iter().sum()</c> in the chain are plain
/// additions (<see cref="M:Bittensor.Spec.Fixed.Fixed.sum"/>), which never overflow on epoch data.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Math.Vector

open Bittensor.Spec.Fixed

/// An element that a shorter vector lacks reads as zero (the chain's <c>get_safe</c>).
let getOrZero (v: I32F32[]) (i: int) = if i >= 0 && i < v.Length then v[i] else I32F32.Zero

/// <summary>Σ x with plain addition. Source: <c>sum</c>.</summary>
let sum (x: I32F32[]) = Fixed.sum x

/// <summary>True when Σ x = 0 (not when every entry is 0: [1, −1] is "zero"). Source: <c>is_zero</c>.</summary>
let isZero (x: I32F32[]) = sum x = I32F32.Zero

/// <summary>x / s entrywise (truncating <c>safe_div</c>), or x unchanged when s = 0.
/// Source: <c>inplace_normalize_using_sum</c>.</summary>
let normalizeUsingSum (s: I32F32) (x: I32F32[]) =
    if s = I32F32.Zero then Array.copy x else x |> Array.map (fun xi -> Fixed.safeDiv xi s)

/// <summary>x_i / Σ x (truncating), or x unchanged when the sum is 0. Negative entries are allowed: [−1, 10, 30]
/// normalises by 39. The result sums to at most 1 (each quotient is truncated).
/// Source: <c>normalize</c>, <c>inplace_normalize</c> (identical).</summary>
let normalize (x: I32F32[]) = normalizeUsingSum (sum x) x

/// <summary><see cref="M:Bittensor.Spec.Math.Vector.normalize"/> in I64F64. Source: <c>inplace_normalize_64</c>.</summary>
let normalize64 (x: I64F64[]) =
    let s = Fixed.sum x
    if s = I64F64.Zero then Array.copy x else x |> Array.map (fun xi -> Fixed.safeDiv xi s)

/// <summary>x_i / y_i (<c>safe_div</c>: 0 where y_i = 0 or y is too short), over the length of x.
/// Source: <c>vecdiv</c>.</summary>
let vecdiv (x: I32F32[]) (y: I32F32[]) = x |> Array.mapi (fun i xi -> Fixed.safeDiv xi (getOrZero y i))

/// <summary>a_i · b_i with <c>checked_mul</c>, 0 on overflow; length min(|a|, |b|). Source: <c>vec_mul</c>.</summary>
let vecMul (a: I32F32[]) (b: I32F32[]) =
    Array.map2 (fun x y -> Fixed.checkedMul x y |> Option.defaultValue I32F32.Zero) (Array.truncate b.Length a) (Array.truncate a.Length b)

/// <summary>Zeroes v_i where mask_i is true. An empty mask changes nothing; otherwise an index beyond the mask's end
/// counts as masked (a too-short permit vector masks the missing uids). Source: <c>inplace_mask_vector</c>.</summary>
let maskVector (mask: bool[]) (v: I32F32[]) =
    if mask.Length = 0 then Array.copy v
    else v |> Array.mapi (fun i vi -> if i >= mask.Length || mask[i] then I32F32.Zero else vi)

/// The indices of v sorted ascending by value, ties in index order (Rust's stable sort_by_key).
let private ascendingStable (v: I32F32[]) = Array.init v.Length id |> Array.sortWith (fun i j -> compare (v[i], i) (v[j], j))

/// Marks all but the n − k smallest entries (the first n − k of a stable ascending sort are unmarked).
let private keepTopK (start: bool[]) (v: I32F32[]) (k: int) =
    let n = v.Length
    if n < k then start
    else
        let result = Array.copy start
        for i in ascendingStable v |> Array.truncate (n - k) do
            result[i] <- false
        result

/// <summary>True for the k largest entries; ties at the boundary go to the higher uid (the lower uids are dropped
/// first). When n &lt; k every entry is true. Source: <c>is_topk</c>.</summary>
let isTopk (v: I32F32[]) (k: int) = keepTopK (Array.create v.Length true) v k

/// <summary>As <see cref="M:Bittensor.Spec.Math.Vector.isTopk"/>, but zero entries are never marked, and when n &lt; k
/// the result is just "non-zero". This decides validator permits. Source: <c>is_topk_nonzero</c>.</summary>
let isTopkNonzero (v: I32F32[]) (k: int) = keepTopK (v |> Array.map (fun x -> x <> I32F32.Zero)) v k

/// <summary>True when the u16 vector, normalised, has no entry above maxLimit / 65535 (an empty vector passes).
/// Used by weight setting's max-weight check. Source: <c>check_vec_max_limited</c>.</summary>
let checkVecMaxLimited (v: uint16[]) (maxLimit: uint16) =
    let limit = Conversions.u16ProportionToFixed maxLimit
    let normalized = v |> Array.map Conversions.u16ToFixed |> normalize
    normalized.Length = 0 || Array.max normalized <= limit
