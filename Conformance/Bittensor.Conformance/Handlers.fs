/// <summary>Every (runner, handler) the vectors exercise: how to read its input, which spec function computes it, and
/// how its output is written. The generator writes expected outputs with these; the spec driver answers with them.</summary>
module Bittensor.Conformance.Handlers

open System.Numerics
open System.Text.Json.Nodes
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Spec.Yuma
open Bittensor.Spec.Subnet
open Bittensor.Conformance.Codec

/// A handler computes a case's output from its input, or raises MalformedException.
type Handler = JsonNode -> JsonNode

let private vec name input = readFixedVector<I32F32> $"input.{name}" (field "input" name input)
let private fix name input = readFixed<I32F32> $"input.{name}" (field "input" name input)
let private sparseIn name input = readSparse $"input.{name}" (field "input" name input)
let private denseIn name input = readDense $"input.{name}" (field "input" name input)
let private intIn name input = readInt $"input.{name}" (field "input" name input)
let private u16In name input = readU16 $"input.{name}" (field "input" name input)
let private u64In name input = readU64 $"input.{name}" (field "input" name input)
let private boolsIn name input = readArray $"input.{name}" readBool (field "input" name input)
let private u64sIn name input = readArray $"input.{name}" readU64 (field "input" name input)
let private result (node: JsonNode) = obj [ "result", node ]
let private optionalFixed (v: I32F32 option) = match v with Some x -> fixedValue x | None -> null

/// A fixed-point binary operation computed in the type 'T.
let private binaryIn<'T when 'T :> IFixed<'T>> (operation: string) (input: JsonNode) : JsonNode =
        let a, b = readFixed<'T> "input.a" (field "input" "a" input), readFixed<'T> "input.b" (field "input" "b" input)
        match operation with
        | "saturating_add" -> fixedValue (Fixed.saturatingAdd a b)
        | "saturating_sub" -> fixedValue (Fixed.saturatingSub a b)
        | "saturating_mul" -> fixedValue (Fixed.saturatingMul a b)
        | "checked_mul" -> Fixed.checkedMul a b |> Option.map fixedValue |> Option.toObj
        | "checked_div" -> Fixed.checkedDiv a b |> Option.map fixedValue |> Option.toObj
        | "safe_div" -> fixedValue (Fixed.safeDiv a b)
        | other -> failwith $"unknown fixed-point operation {other}"

/// Reads the operands of a fixed-point operation in the type they declare and computes it in that type.
let private fixedBinary (operation: string) (input: JsonNode) : JsonNode =
    let typeName = readString "input.a.type" (field "input.a" "type" (field "input" "a" input))
    result (
        match typeName with
        | "I32F32" -> binaryIn<I32F32> operation input
        | "I64F64" -> binaryIn<I64F64> operation input
        | "I96F32" -> binaryIn<I96F32> operation input
        | "U64F64" -> binaryIn<U64F64> operation input
        | "U96F32" -> binaryIn<U96F32> operation input
        | other -> malformed "input.a.type" $"one of I32F32, I64F64, I96F32, U64F64, U96F32 (got \"{other}\")")

/// A float's IEEE bits converted to 'T; null where the chain's from_num panics (NaN, infinity, out of range).
let private floatIn<'T when 'T :> IFixed<'T>> (width: int) (raw: uint64) : JsonNode =
    try
        fixedValue (if width = 32 then Fixed.ofF32Bits<'T> (uint32 raw) else Fixed.ofF64Bits<'T> raw)
    with :? System.OverflowException -> null

/// Reads a float's IEEE bits and converts to the requested type.
let private fromFloat (width: int) (input: JsonNode) : JsonNode =
    let target = readString "input.type" (field "input" "type" input)
    let raw = readU64 "input.ieee_bits" (field "input" "ieee_bits" input)
    if width = 32 && raw > uint64 System.UInt32.MaxValue then malformed "input.ieee_bits" $"a 32-bit pattern (got {raw})"
    result (
        match target with
        | "I32F32" -> floatIn<I32F32> width raw
        | "I64F64" -> floatIn<I64F64> width raw
        | "I96F32" -> floatIn<I96F32> width raw
        | "U64F64" -> floatIn<U64F64> width raw
        | "U96F32" -> floatIn<U96F32> width raw
        | other -> malformed "input.type" $"a fixed-point type name (got \"{other}\")")

let private maskPredicate (name: string) : uint64 -> uint64 -> bool =
    match name with
    | "first_le_second" -> fun a b -> a <= b
    | "first_lt_second" -> fun a b -> a < b
    | other -> malformed "input.predicate" $"\"first_le_second\" or \"first_lt_second\" (got \"{other}\")"

/// The math runner: one handler per helper, named as the chain names it.
let math: Map<string, Handler> =
    Map.ofList [
        "normalize", fun i -> result (fixedVector (Vector.normalize (vec "x" i)))
        "normalize_64", fun i -> result (fixedVector (Vector.normalize64 (readFixedVector<I64F64> "input.x" (field "input" "x" i))))
        "vecdiv", fun i -> result (fixedVector (Vector.vecdiv (vec "x" i) (vec "y" i)))
        "vec_mul", fun i -> result (fixedVector (Vector.vecMul (vec "a" i) (vec "b" i)))
        "inplace_mask_vector", fun i -> result (fixedVector (Vector.maskVector (boolsIn "mask" i) (vec "v" i)))
        "is_topk", fun i -> result (bools (Vector.isTopk (vec "v" i) (intIn "k" i)))
        "is_topk_nonzero", fun i -> result (bools (Vector.isTopkNonzero (vec "v" i) (intIn "k" i)))
        "check_vec_max_limited", fun i ->
            result (flag (Vector.checkVecMaxLimited (readArray "input.v" readU16 (field "input" "v" i)) (u16In "max_limit" i)))
        "weighted_median", fun i ->
            let idx = readArray "input.partition_idx" readInt (field "input" "partition_idx" i)
            result (fixedValue (WeightedMedian.weightedMedian (vec "stake" i) (vec "score" i) idx (fix "minority" i) (fix "partition_lo" i) (fix "partition_hi" i)))
        "weighted_median_col", fun i -> result (fixedVector (Dense.weightedMedianCol (vec "stake" i) (denseIn "score" i) (fix "majority" i)))
        "weighted_median_col_sparse", fun i -> result (fixedVector (Sparse.weightedMedianCol (vec "stake" i) (sparseIn "score" i) (intIn "columns" i) (fix "majority" i)))
        "col_clip_sparse", fun i -> result (sparse (Sparse.colClip (sparseIn "matrix" i) (vec "threshold" i)))
        "inplace_col_clip", fun i -> result (dense (Dense.colClip (denseIn "matrix" i) (vec "threshold" i)))
        "row_sum_sparse", fun i -> result (fixedVector (Sparse.rowSum (sparseIn "matrix" i)))
        "row_sum", fun i -> result (fixedVector (Dense.rowSum (denseIn "matrix" i)))
        "inplace_row_normalize_sparse", fun i -> result (sparse (Sparse.rowNormalize (sparseIn "matrix" i)))
        "inplace_row_normalize", fun i -> result (dense (Dense.rowNormalize (denseIn "matrix" i)))
        "inplace_col_normalize_sparse", fun i -> result (sparse (Sparse.colNormalize (sparseIn "matrix" i) (intIn "columns" i)))
        "inplace_col_normalize", fun i -> result (dense (Dense.colNormalize (denseIn "matrix" i)))
        "inplace_col_max_upscale_sparse", fun i -> result (sparse (Sparse.colMaxUpscale (sparseIn "matrix" i) (intIn "columns" i)))
        "inplace_col_max_upscale", fun i -> result (dense (Dense.colMaxUpscale (denseIn "matrix" i)))
        "mask_rows_sparse", fun i -> result (sparse (Sparse.maskRows (boolsIn "mask" i) (sparseIn "matrix" i)))
        "inplace_mask_rows", fun i -> result (dense (Dense.maskRows (boolsIn "mask" i) (denseIn "matrix" i)))
        "inplace_mask_cols", fun i -> result (dense (Dense.maskCols (boolsIn "mask" i) (denseIn "matrix" i)))
        "mask_diag_sparse", fun i ->
            let except = optionalField "except_index" i |> Option.map (readInt "input.except_index")
            result (sparse (Sparse.maskDiagExcept except (sparseIn "matrix" i)))
        "inplace_mask_diag", fun i ->
            let except = optionalField "except_index" i |> Option.map (readInt "input.except_index")
            result (dense (Dense.maskDiagExcept except (denseIn "matrix" i)))
        "vec_mask_sparse_matrix", fun i ->
            let drop = maskPredicate (readString "input.predicate" (field "input" "predicate" i))
            result (sparse (Sparse.vecMask drop (u64sIn "first" i) (u64sIn "second" i) (sparseIn "matrix" i)))
        "scalar_vec_mask_sparse_matrix", fun i ->
            let drop = maskPredicate (readString "input.predicate" (field "input" "predicate" i))
            result (sparse (Sparse.scalarVecMask drop (u64In "scalar" i) (u64sIn "vector" i) (sparseIn "matrix" i)))
        "row_hadamard_sparse", fun i -> result (sparse (Sparse.rowHadamard (sparseIn "matrix" i) (vec "vector" i)))
        "row_hadamard", fun i -> result (dense (Dense.rowHadamard (denseIn "matrix" i) (vec "vector" i)))
        "matmul_sparse", fun i -> result (fixedVector (Sparse.matmul (sparseIn "matrix" i) (vec "vector" i) (intIn "columns" i)))
        "matmul", fun i -> result (fixedVector (Dense.matmul (denseIn "matrix" i) (vec "vector" i)))
        "matmul_transpose_sparse", fun i -> result (fixedVector (Sparse.matmulTranspose (sparseIn "matrix" i) (vec "vector" i)))
        "matmul_transpose", fun i -> result (fixedVector (Dense.matmulTranspose (denseIn "matrix" i) (vec "vector" i)))
        "mat_vec_mul_sparse", fun i -> result (sparse (Sparse.matVecMul (sparseIn "matrix" i) (vec "vector" i)))
        "mat_vec_mul", fun i -> result (dense (Dense.matVecMul (denseIn "matrix" i) (vec "vector" i)))
        "interpolate_sparse", fun i -> result (sparse (Sparse.interpolate (sparseIn "a" i) (sparseIn "b" i) (intIn "columns" i) (fix "ratio" i)))
        "interpolate", fun i -> result (dense (Dense.interpolate (denseIn "a" i) (denseIn "b" i) (fix "ratio" i)))
        "mat_ema_sparse", fun i -> result (sparse (Sparse.matEma (sparseIn "new" i) (sparseIn "old" i) (fix "alpha" i)))
        "mat_ema", fun i -> result (dense (Dense.matEma (denseIn "new" i) (denseIn "old" i) (fix "alpha" i)))
        "mat_ema_alpha_sparse", fun i -> result (sparse (Sparse.matEmaAlpha (sparseIn "new" i) (sparseIn "old" i) (denseIn "alpha" i)))
        "mat_ema_alpha", fun i -> result (dense (Dense.matEmaAlpha (denseIn "new" i) (denseIn "old" i) (denseIn "alpha" i)))
        "saturating_add", fixedBinary "saturating_add"
        "saturating_sub", fixedBinary "saturating_sub"
        "saturating_mul", fixedBinary "saturating_mul"
        "checked_mul", fixedBinary "checked_mul"
        "checked_div", fixedBinary "checked_div"
        "safe_div", fixedBinary "safe_div"
        "from_f32", fromFloat 32
        "from_f64", fromFloat 64
        "exp", fun i -> result (optionalFixed (Transcendental.exp (fix "x" i)))
        "exp_safe", fun i -> result (fixedValue (Transcendental.expSafe (fix "x" i)))
        "safe_exp", fun i -> result (fixedValue (Transcendental.safeExp (fix "x" i)))
        "sigmoid_safe", fun i -> result (fixedValue (Transcendental.sigmoidSafe (fix "x" i) (fix "rho" i) (fix "kappa" i)))
        "alpha_sigmoid", fun i ->
            result (fixedValue (Transcendental.alphaSigmoid (fix "consensus" i) (fix "weight" i) (fix "bond" i) (fix "alpha_low" i) (fix "alpha_high" i) (fix "steepness" i)))
        "vec_max_upscale_to_u16", fun i -> result (u16s (Conversions.vecMaxUpscaleToU16 (vec "v" i)))
        "vec_u16_max_upscale_to_u16", fun i -> result (u16s (Conversions.vecU16MaxUpscaleToU16 (readArray "input.v" readU16 (field "input" "v" i))))
        "u16_proportion_to_fixed", fun i -> result (fixedValue (Conversions.u16ProportionToFixed (u16In "x" i)))
        "fixed_proportion_to_u16", fun i -> result (num (int (Conversions.fixedProportionToU16 (fix "x" i))))
        "compute_disabled_liquid_alpha", fun i -> result (fixedValue (Conversions.emaAlphaOfBondsMovingAverage (u64In "bonds_moving_average" i)))
    ]

let private epochInputs (input: JsonNode) =
    readHyperparameters "input.hyperparameters" (field "input" "hyperparameters" input),
    readEpochState "input.state" (field "input" "state" input)

/// Runs the epoch on a case's input, rejecting states whose vectors are shorter than n where the chain requires them.
let runEpoch (input: JsonNode) : EpochOutput =
    let hp, state = epochInputs input
    Epoch.run hp state

/// The epoch_step runner: each handler is one named intermediate of the epoch (EpochOutput.Trace).
let epochStep: Map<string, Handler> =
    let step (pick: EpochTrace -> JsonNode) : Handler = fun input -> result (pick (runEpoch input).Trace)
    Map.ofList [
        "inactive", step (fun t -> bools t.Inactive)
        "stake", step (fun t -> fixedVector t.Stake)
        "validator_permits", step (fun t -> bools t.ValidatorPermits)
        "active_stake", step (fun t -> fixedVector t.ActiveStake)
        "weights", step (fun t -> sparse t.Weights)
        "consensus", step (fun t -> fixedVector t.Consensus)
        "clipped_weights", step (fun t -> sparse t.ClippedWeights)
        "validator_trust", step (fun t -> fixedVector t.ValidatorTrust)
        "incentive", step (fun t -> fixedVector t.Incentive)
        "weights_for_bonds", step (fun t -> sparse t.WeightsForBonds)
        "ema_bonds", step (fun t -> sparse t.EmaBonds)
        "dividends", step (fun t -> fixedVector t.Dividends)
        "normalized_server_emission", step (fun t -> fixedVector t.NormalizedServerEmission)
        "normalized_validator_emission", step (fun t -> fixedVector t.NormalizedValidatorEmission)
        "normalized_combined_emission", step (fun t -> fixedVector t.NormalizedCombinedEmission)
    ]

/// The epoch runner: the whole epoch's output.
let epoch: Map<string, Handler> = Map.ofList [ "epoch_mechanism", fun input -> epochOutput (runEpoch input) ]

/// The scenario runner: operations and blocks on one subnet.
let scenario: Map<string, Handler> = Map.ofList [ "subnet", Scenario.run ]

let runners: Map<string, Map<string, Handler>> =
    Map.ofList [ "math", math; "epoch_step", epochStep; "epoch", epoch; "scenario", scenario; "keys", Keys.handlers; "wire", Wire.handlers ]
