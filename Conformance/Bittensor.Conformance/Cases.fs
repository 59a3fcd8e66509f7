/// <summary>The vector cases: hand-made ones named after what they test, seeded random ones from n = 1 to 256, and a
/// few large ones. Inputs are built here; expected outputs are computed by the spec (Handlers) when vectors are
/// generated, never written by hand.</summary>
module Bittensor.Conformance.Cases

open System
open System.Text.Json.Nodes
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Spec.Yuma
open Bittensor.Conformance.Codec

/// One case: where it lives (runner/handler/suite/name), what it is for, its seed if random, and its input.
type Case =
    { Runner: string; Handler: string; Suite: string; Name: string; Description: string; Seed: int option; Input: JsonNode }

let private handMade runner handler name description input =
    { Runner = runner; Handler = handler; Suite = "hand_made"; Name = name; Description = description; Seed = None; Input = input }

let private f32 (x: float32) = Fixed.ofF32Bits<I32F32> (BitConverter.SingleToUInt32Bits x)
let private f64 (x: float) = Fixed.ofF64Bits<I32F32> (BitConverter.DoubleToUInt64Bits x)
let private ints (xs: int list) = xs |> List.map (fun x -> Fixed.ofInteger<I32F32> (bigint x)) |> Array.ofList
let private f32s (xs: float32 list) = xs |> List.map f32 |> Array.ofList

// ---------------------------------------------------------------------------------------------------------------------
// Random inputs. System.Random with a fixed seed is deterministic across .NET versions (its seeded algorithm is frozen).

/// An I32F32 proportion: 0, 1, or uniform bits in [0, 2^32].
let private proportion (rng: Random) : I32F32 =
    match rng.Next 8 with
    | 0 -> I32F32.Zero
    | 1 -> I32F32.One
    | _ -> { Bits = rng.NextInt64(0L, (1L <<< 32) + 1L) }

let private proportions (rng: Random) n = Array.init n (fun _ -> proportion rng)

let private sparseMatrix (rng: Random) rows columns (density: float) : Sparse.Matrix =
    Array.init rows (fun _ ->
        let chosen = [| 0 .. columns - 1 |] |> Array.filter (fun _ -> rng.NextDouble() < density)
        let ordered = chosen |> Array.sortBy (fun _ -> rng.Next())
        ordered |> Array.map (fun j -> Sparse.entry j (proportion rng)))

let private denseMatrix (rng: Random) rows columns = Array.init rows (fun _ -> proportions rng columns)

let private randomMath (handler: string) (rng: Random) (n: int) : JsonNode option =
    let v () = fixedVector (proportions rng n)
    // about 8 entries per row once n is large, so that files stay small
    let sp () = sparse (sparseMatrix rng n n (min 0.3 (8.0 / float n)))
    let dn () = dense (denseMatrix rng n n)
    let fx () = fixedValue (proportion rng)
    match handler with
    | "normalize" -> Some(obj [ "x", v () ])
    | "vecdiv" -> Some(obj [ "x", v (); "y", v () ])
    | "vec_mul" -> Some(obj [ "a", v (); "b", v () ])
    | "inplace_mask_vector" -> Some(obj [ "mask", bools (Array.init n (fun _ -> rng.Next 2 = 0)); "v", v () ])
    | "is_topk" | "is_topk_nonzero" -> Some(obj [ "v", v (); "k", num (rng.Next(0, n + 2)) ])
    | "weighted_median_col_sparse" -> Some(obj [ "stake", v (); "score", sp (); "columns", num n; "majority", fx () ])
    | "weighted_median_col" -> Some(obj [ "stake", v (); "score", dn (); "majority", fx () ])
    | "col_clip_sparse" -> Some(obj [ "matrix", sp (); "threshold", v () ])
    | "inplace_row_normalize_sparse" | "row_sum_sparse" -> Some(obj [ "matrix", sp () ])
    | "inplace_col_normalize_sparse" | "inplace_col_max_upscale_sparse" -> Some(obj [ "matrix", sp (); "columns", num n ])
    | "matmul_sparse" -> Some(obj [ "matrix", sp (); "vector", v (); "columns", num n ])
    | "matmul_transpose_sparse" | "row_hadamard_sparse" | "mat_vec_mul_sparse" -> Some(obj [ "matrix", sp (); "vector", v () ])
    | "interpolate_sparse" -> Some(obj [ "a", sp (); "b", sp (); "columns", num n; "ratio", fx () ])
    | "mat_ema_sparse" -> Some(obj [ "new", sp (); "old", sp (); "alpha", fx () ])
    | "mat_ema_alpha_sparse" -> Some(obj [ "new", sp (); "old", sp (); "alpha", dn () ])
    | "inplace_col_normalize" | "inplace_col_max_upscale" | "inplace_row_normalize" | "row_sum" -> Some(obj [ "matrix", dn () ])
    | "matmul" | "matmul_transpose" | "row_hadamard" | "mat_vec_mul" -> Some(obj [ "matrix", dn (); "vector", v () ])
    | "mat_ema" -> Some(obj [ "new", dn (); "old", dn (); "alpha", fx () ])
    | "mat_ema_alpha" -> Some(obj [ "new", dn (); "old", dn (); "alpha", dn () ])
    | "interpolate" -> Some(obj [ "a", dn (); "b", dn (); "ratio", fx () ])
    | "vec_max_upscale_to_u16" -> Some(obj [ "v", v () ])
    | "normalize_64" -> Some(obj [ "x", fixedVector (Array.init n (fun _ -> ({ Bits = Int128(uint64 (rng.Next 1000), uint64 (rng.NextInt64())) }: I64F64))) ])
    | "weighted_median" ->
        let stake = Vector.normalize (proportions rng n)
        let total = Vector.sum stake
        Some(obj [ "stake", fixedVector stake; "score", v (); "partition_idx", nums [| 0 .. n - 1 |]
                   "minority", fixedValue (Fixed.saturatingSub total (proportion rng)); "partition_lo", fixedValue I32F32.Zero; "partition_hi", fixedValue total ])
    | "check_vec_max_limited" -> Some(obj [ "v", u16s (Array.init n (fun _ -> uint16 (rng.Next 65536))); "max_limit", num (rng.Next 65536) ])
    | "u16_proportion_to_fixed" -> Some(obj [ "x", num (rng.Next 65536) ])
    | "fixed_proportion_to_u16" -> Some(obj [ "x", fixedValue ({ Bits = rng.NextInt64(-(1L <<< 32), 2L <<< 32) }: I32F32) ])
    | "inplace_col_clip" -> Some(obj [ "matrix", dn (); "threshold", v () ])
    | "mask_rows_sparse" -> Some(obj [ "mask", bools (Array.init (rng.Next(0, n + 1)) (fun _ -> rng.Next 2 = 0)); "matrix", sp () ])
    | "inplace_mask_rows" | "inplace_mask_cols" -> Some(obj [ "mask", bools (Array.init (rng.Next(0, n + 1)) (fun _ -> rng.Next 2 = 0)); "matrix", dn () ])
    | "mask_diag_sparse" -> Some(obj [ "matrix", sp (); "except_index", (if rng.Next 2 = 0 then num (rng.Next n) else null) ])
    | "inplace_mask_diag" -> Some(obj [ "matrix", dn (); "except_index", (if rng.Next 2 = 0 then num (rng.Next n) else null) ])
    | "vec_mask_sparse_matrix" ->
        let blocks () = u64s (Array.init (rng.Next(0, n + 1)) (fun _ -> uint64 (rng.Next 100)))
        Some(obj [ "matrix", sp (); "first", blocks (); "second", blocks (); "predicate", text (if rng.Next 2 = 0 then "first_le_second" else "first_lt_second") ])
    | "scalar_vec_mask_sparse_matrix" ->
        Some(obj [ "matrix", sp (); "scalar", u64 (uint64 (rng.Next 100)); "vector", u64s (Array.init (rng.Next(0, n + 1)) (fun _ -> uint64 (rng.Next 100)))
                   "predicate", text "first_le_second" ])
    | "vec_u16_max_upscale_to_u16" -> Some(obj [ "v", u16s (Array.init n (fun _ -> uint16 (rng.Next 65536))) ])
    | "alpha_sigmoid" ->
        let a, b = proportion rng, proportion rng
        Some(obj [ "consensus", fx (); "weight", fx (); "bond", fx (); "alpha_low", fixedValue (min a b); "alpha_high", fixedValue (max a b)
                   "steepness", fixedValue (Fixed.ofInteger<I32F32> (bigint (rng.Next(-2000, 2001)))) ])
    | "sigmoid_safe" ->
        Some(obj [ "x", fx (); "rho", fixedValue (Fixed.ofInteger<I32F32> (bigint (rng.Next(0, 41)))); "kappa", fx () ])
    | "exp" | "exp_safe" | "safe_exp" -> Some(obj [ "x", fixedValue ({ Bits = rng.NextInt64(-(25L <<< 32), 25L <<< 32) }: I32F32) ])
    | "saturating_mul" | "checked_mul" | "checked_div" | "safe_div" | "saturating_add" | "saturating_sub" ->
        let any () = fixedValue ({ Bits = (if rng.Next 2 = 0 then rng.NextInt64() else rng.NextInt64(-(1L <<< 36), 1L <<< 36)) }: I32F32)
        Some(obj [ "a", any (); "b", any () ])
    | "from_f64" -> Some(obj [ "type", text "I32F32"; "ieee_bits", u64 (BitConverter.DoubleToUInt64Bits((rng.NextDouble() - 0.5) * Math.Pow(2.0, float (rng.Next(-40, 40))))) ])
    | "from_f32" -> Some(obj [ "type", text "I32F32"; "ieee_bits", u64 (uint64 (BitConverter.SingleToUInt32Bits(float32 ((rng.NextDouble() - 0.5) * Math.Pow(2.0, float (rng.Next(-40, 40))))))) ])
    | _ -> None

/// Subnet sizes for random cases: 1 to 256, the chain's subnet size.
let private randomSizes = [ 1; 2; 3; 5; 8; 16; 32; 64; 128; 256 ]

/// Dense-matrix helpers are checked up to n = 32 (a 256 × 256 dense matrix is half a megabyte of JSON).
let private denseHandlers =
    set [ "weighted_median_col"; "inplace_col_clip"; "row_sum"; "inplace_row_normalize"; "inplace_col_normalize"; "inplace_col_max_upscale"
          "inplace_mask_rows"; "inplace_mask_cols"; "inplace_mask_diag"; "row_hadamard"; "matmul"; "matmul_transpose"; "mat_vec_mul"
          "interpolate"; "mat_ema"; "mat_ema_alpha"; "mat_ema_alpha_sparse"; "inplace_col_clip" ]

let private randomMathCases: Case list =
    [ for handler in Handlers.math.Keys do
        for index, n in List.indexed randomSizes do
          if n <= 32 || not (denseHandlers.Contains handler) then
            let seed = (Seq.sumBy int handler) * 100 + index // stable across runs, unlike string.GetHashCode
            match randomMath handler (Random seed) n with
            | Some input ->
                yield { Runner = "math"; Handler = handler; Suite = "random"; Name = $"n{n:D3}_seed{seed}"
                        Description = $"seeded random input, n = {n}"; Seed = Some seed; Input = input }
            | None -> () ]

let private handMadeMath: Case list =
    let kappa51 = f32 0.51f
    let median name description (stake: float32 list) (score: float32 list) =
        handMade "math" "weighted_median" name description
            (obj [ "stake", fixedVector (f32s stake); "score", fixedVector (f32s score); "partition_idx", nums [| 0 .. stake.Length - 1 |]
                   "minority", fixedValue (I32F32.One - kappa51); "partition_lo", fixedValue I32F32.Zero; "partition_hi", fixedValue I32F32.One ])
    [ handMade "math" "normalize" "sums_to_one" "[1, 10, 30] / 41, each truncated" (obj [ "x", fixedVector (ints [ 1; 10; 30 ]) ])
      handMade "math" "normalize" "negative_entry" "[-1, 10, 30] / 39: negatives are allowed" (obj [ "x", fixedVector (ints [ -1; 10; 30 ]) ])
      handMade "math" "normalize" "zero_sum_unchanged" "a zero sum leaves the vector as it is" (obj [ "x", fixedVector (ints [ 1; -1 ]) ])
      handMade "math" "normalize" "empty" "the empty vector" (obj [ "x", fixedVector ([||]: I32F32[]) ])
      handMade "math" "normalize_64" "ten_equal_stakes" "ten equal I64F64 stakes normalise to 1/10 each"
          (obj [ "x", fixedVector (Array.create 10 (Fixed.ofInteger<I64F64> 1000I)) ])
      median "two_voters_kappa" "stake [0.51, 0.49], score [0.5, 1] → 0.5" [ 0.51f; 0.49f ] [ 0.5f; 1.0f ]
      median "three_voters" "stake [0.49, 0.01, 0.5], score [0.5, 0.7, 1] → 0.7" [ 0.49f; 0.01f; 0.5f ] [ 0.5f; 0.7f; 1.0f ]
      median "five_equal_stakes" "five equal stakes, scores [0.8, 0.2, 1, 0.6, 0.4] → 0.6" [ 0.2f; 0.2f; 0.2f; 0.2f; 0.2f ] [ 0.8f; 0.2f; 1.0f; 0.6f; 0.4f ]
      median "nobody" "no voters → 0" [] []
      handMade "math" "col_clip_sparse" "drop_above_zero_keep_explicit_zero" "an entry above a zero consensus is dropped; an explicit zero survives"
          (obj [ "matrix", sparse [| [| Sparse.entry 0 I32F32.One; Sparse.entry 1 (f32 0.5f); Sparse.entry 2 I32F32.Zero |] |]
                 "threshold", fixedVector [| f32 0.25f; I32F32.Zero; I32F32.Zero |] ])
      handMade "math" "mat_ema_alpha_sparse" "old_bond_absent_from_new_row_is_dropped" "liquid alpha drops, not decays, a bond the new row lacks"
          (obj [ "new", sparse [| [| Sparse.entry 1 I32F32.One |]; [||] |]; "old", sparse [| [| Sparse.entry 0 I32F32.One; Sparse.entry 1 I32F32.One |]; [||] |]
                 "alpha", dense [| [| f32 0.5f; f32 0.5f |]; [| f32 0.5f; f32 0.5f |] |] ])
      handMade "math" "mat_ema_sparse" "old_bond_absent_from_new_row_decays" "the plain EMA keeps and decays it"
          (obj [ "new", sparse [| [| Sparse.entry 1 I32F32.One |]; [||] |]; "old", sparse [| [| Sparse.entry 0 I32F32.One; Sparse.entry 1 I32F32.One |]; [||] |]
                 "alpha", fixedValue (f32 0.5f) ])
      handMade "math" "vec_u16_max_upscale_to_u16" "weights_43690_21845" "[43690, 21845] is stored as [65535, 32768]" (obj [ "v", u16s [| 43690us; 21845us |] ])
      handMade "math" "vec_u16_max_upscale_to_u16" "all_zero" "zeros stay zero" (obj [ "v", u16s [| 0us; 0us |] ])
      handMade "math" "vec_max_upscale_to_u16" "above_32768_divides_first" "max 32769: the quotient 65535 / max is taken first"
          (obj [ "v", fixedVector (ints [ 32769; 16384 ]) ])
      handMade "math" "from_f32" "one_tenth" "f32 0.1 → I32F32 bits 429496736" (obj [ "type", text "I32F32"; "ieee_bits", u64 (uint64 (BitConverter.SingleToUInt32Bits 0.1f)) ])
      handMade "math" "from_f64" "one_tenth" "f64 0.1 → I32F32 bits 429496730" (obj [ "type", text "I32F32"; "ieee_bits", u64 (BitConverter.DoubleToUInt64Bits 0.1) ])
      handMade "math" "from_f64" "nan_has_no_value" "NaN: the chain panics; the result is null" (obj [ "type", text "I32F32"; "ieee_bits", u64 0x7FF8000000000000UL ])
      handMade "math" "from_f64" "out_of_range" "2^40 does not fit I32F32: null" (obj [ "type", text "I32F32"; "ieee_bits", u64 (BitConverter.DoubleToUInt64Bits(Math.Pow(2.0, 40.0))) ])
      handMade "math" "compute_disabled_liquid_alpha" "bma_975000" "975 000 → bits 107374183" (obj [ "bonds_moving_average", u64 975000UL ])
      handMade "math" "compute_disabled_liquid_alpha" "bma_900000" "900 000 → exactly f64 0.1" (obj [ "bonds_moving_average", u64 900000UL ])
      handMade "math" "safe_div" "by_zero" "1 / 0 → 0" (obj [ "a", fixedValue I32F32.One; "b", fixedValue I32F32.Zero ])
      handMade "math" "checked_div" "overflow" "2^30 / 2^-32 overflows → null" (obj [ "a", fixedValue (Fixed.ofInteger<I32F32> 1073741824I); "b", fixedValue ({ Bits = 1L }: I32F32) ])
      handMade "math" "saturating_mul" "floor_toward_minus_infinity" "−2^-32 · 2^-32 floors to −2^-32" (obj [ "a", fixedValue ({ Bits = -1L }: I32F32); "b", fixedValue ({ Bits = 1L }: I32F32) ])
      handMade "math" "exp" "two" "exp(2) by the truncated series" (obj [ "x", fixedValue (Fixed.ofInteger<I32F32> 2I) ])
      handMade "math" "exp" "thirty_overflows" "e^30 does not fit: null" (obj [ "x", fixedValue (Fixed.ofInteger<I32F32> 30I) ])
      for tenths, x in List.indexed [ 0.0f; 0.1f; 0.2f; 0.3f; 0.4f; 0.5f; 0.6f; 0.7f; 0.8f; 0.9f; 1.0f ] do
          handMade "math" "sigmoid_safe" $"rho40_kappa_half_x{tenths:D2}" "the chain's test_math_sigmoid_safe table"
              (obj [ "x", fixedValue (f32 x); "rho", fixedValue (Fixed.ofInteger<I32F32> 40I); "kappa", fixedValue (f64 0.5) ]) ]

// ---------------------------------------------------------------------------------------------------------------------
// Epochs

let private defaults = Examples.productionDefaults

let private entry uid value : StoredEntry = { Uid = uid; Value = value }

/// n uids registered at block 0, updated recently, permits for the first `validators` uids, no weights or bonds.
let private subnet n validators : EpochState =
    { N = n; Block = 10000UL; LastUpdate = Array.create n 9990UL; BlockAtRegistration = Array.zeroCreate n
      AlphaStake = Array.init n (fun i -> if i < validators then 1_000_000_000_000UL else 0UL); TaoStake = Array.zeroCreate n
      OwnerUid = None; ValidatorPermits = Array.init n (fun i -> i < validators); Weights = Array.create n [||]
      Bonds = Array.create n [||]; CommitBlocks = Array.create n UInt64.MaxValue; LastMechanismStepBlock = 0UL
      RaoEmission = 1_000_000_000UL }

let epochInput (hp: Hyperparameters) (state: EpochState) = obj [ "hyperparameters", hyperparameters hp; "state", epochState state ]

/// The hand-made epoch inputs, named after what they test.
let handMadeEpochs: (string * string * JsonNode) list =
    let twoCamps supportShare =
        // validators 0 and 1 split the stake supportShare : rest; 0 weights miner 2 fully, 1 weights miner 3 fully
        let s = subnet 4 2
        { s with AlphaStake = [| supportShare; 1000UL - supportShare; 0UL; 0UL |]; Weights = [| [| entry 2 65535us |]; [| entry 3 65535us |]; [||]; [||] |] }
    let honestAndCabal =
        // 3 honest validators (60 %) weight miners 5 and 6; a cabal of 2 (40 %) weights only its own miner 7
        let s = subnet 8 5
        { s with
            AlphaStake = [| 200UL; 200UL; 200UL; 200UL; 200UL; 0UL; 0UL; 0UL |]
            Weights = [| [| entry 5 65535us; entry 6 30000us |]; [| entry 5 60000us; entry 6 40000us |]; [| entry 5 65535us; entry 6 20000us |]
                         [| entry 7 65535us |]; [| entry 7 65535us |]; [||]; [||]; [||] |] }
    let withBonds (s: EpochState) =
        { s with Bonds = s.Weights |> Array.map (Array.map (fun e -> { e with Value = e.Value / 3us })); LastMechanismStepBlock = 9640UL }
    let copying =
        // validator 2 copies the consensus of validators 0 and 1
        let s = subnet 6 3
        { s with
            AlphaStake = [| 500UL; 400UL; 100UL; 0UL; 0UL; 0UL |]
            Weights = [| [| entry 3 65535us; entry 4 32768us |]; [| entry 3 65535us; entry 4 30000us; entry 5 10000us |]; [| entry 3 65535us; entry 4 31000us |]; [||]; [||]; [||] |] }
    let outdated =
        // miner 3 re-registered at block 9995, after validator 0 last set weights (9990) but before validator 1 did
        let s = subnet 4 2
        { s with
            LastUpdate = [| 9990UL; 9999UL; 9990UL; 9990UL |]
            BlockAtRegistration = [| 0UL; 0UL; 0UL; 9995UL |]
            Weights = [| [| entry 2 65535us; entry 3 65535us |]; [| entry 2 65535us; entry 3 65535us |]; [||]; [||] |] }
    let inactive =
        let s = subnet 4 2
        { s with LastUpdate = [| 1000UL; 9990UL; 9990UL; 9990UL |]; Weights = [| [| entry 2 65535us |]; [| entry 3 65535us |]; [||]; [||] |] }
    let commitReveal =
        let s = outdated
        { s with CommitBlocks = [| 9900UL; 9999UL; UInt64.MaxValue; UInt64.MaxValue |] }
    [ "kappa_moves_first_below", "the camp weighting miner 2 holds 49 %: consensus for it stays 0", epochInput defaults (twoCamps 490UL)
      "kappa_moves_first_above", "the camp weighting miner 2 holds 51 %: consensus moves to its weight", epochInput defaults (twoCamps 510UL)
      "cabal_below_kappa", "a 40 % cabal weighting its own miner cannot give it consensus", epochInput defaults honestAndCabal
      "weight_copying", "a validator copying the others' weights", epochInput defaults copying
      "weight_copying_with_bonds", "the same with existing bonds (copying earns bonds only as they are built)", epochInput defaults (withBonds copying)
      "outdated_weights", "weights set before the target re-registered are dropped", epochInput defaults outdated
      "inactive_validator", "a validator past the activity cutoff does not vote", epochInput defaults inactive
      "zero_stake", "no stake at all: nothing to pay", epochInput defaults { subnet 4 2 with AlphaStake = Array.zeroCreate 4 }
      "empty_subnet", "n = 0", epochInput defaults (subnet 0 0)
      "commit_reveal_mask", "commit-reveal: a commit older than a registration drops those weights", epochInput { defaults with CommitReveal = true } commitReveal
      "liquid_alpha", "Yuma 3 with liquid alpha and existing bonds", epochInput { defaults with LiquidAlpha = true } (withBonds honestAndCabal)
      "original_yuma_bonds", "the original Yuma bonds on the cabal example with bonds", epochInput { defaults with Yuma3 = false } (withBonds honestAndCabal)
      "yuma3_bonds", "Yuma 3 bonds on the same input", epochInput defaults (withBonds honestAndCabal)
      "era_before_2025_10", "rank, trust and pruning scores of the chains before 2025-10", epochInput { defaults with Era = Before2025_10 } (withBonds honestAndCabal)
      "kappa_tie", "the stake below a vote equals the minority exactly: the consensus moves past it (strict >)",
          epochInput { defaults with Kappa = 32768us }
              { subnet 3 2 with
                  // normalised stakes 2147450880 and 2147516416 ulps sum to exactly 1; κ = 32768/65535 truncates to
                  // 2147516416 ulps, so minority = 1 − κ = 2147450880 = the first voter's stake exactly
                  AlphaStake = [| 2147450880UL; 2147516416UL; 0UL |]
                  Weights = [| [| entry 2 16384us; entry 1 49151us |]; [| entry 2 65535us |]; [||] |] }
      "owner_self_weight", "the subnet owner keeps its self-weight and permit", epochInput defaults { subnet 4 2 with OwnerUid = Some 0; Weights = [| [| entry 0 65535us; entry 2 100us |]; [| entry 2 65535us |]; [||]; [||] |] } ]

/// A random subnet of n uids (seeded): the given number of validators, random stake, activity, registrations, permits, weights
/// and bonds in submission order, sometimes an owner, random hyperparameters around the defaults.
let randomEpoch (rng: Random) (n: int) (validators: int) : JsonNode =
    let block = 10000UL
    let u16 () = if rng.Next 6 = 0 then (if rng.Next 2 = 0 then 0us else 65535us) else uint16 (rng.Next 65536)
    let row () =
        let targets = [| 0 .. n - 1 |] |> Array.filter (fun _ -> rng.NextDouble() < (if n > 64 then 16.0 / float n else 0.5))
        targets |> Array.sortBy (fun _ -> rng.Next()) |> Array.map (fun j -> entry j (u16 ()))
    let state =
        { N = n; Block = block
          LastUpdate = Array.init n (fun _ -> block - uint64 (rng.Next 7000))
          BlockAtRegistration = Array.init n (fun _ -> if rng.Next 4 = 0 then uint64 (rng.Next 10000) else 0UL)
          AlphaStake = Array.init n (fun i -> if i < validators || rng.Next 4 = 0 then uint64 (rng.NextInt64(0L, 1_000_000_000_000L)) else 0UL)
          TaoStake = Array.init n (fun _ -> if rng.Next 4 = 0 then uint64 (rng.NextInt64(0L, 1_000_000_000L)) else 0UL)
          OwnerUid = (if rng.Next 4 = 0 then Some(rng.Next n) else None)
          ValidatorPermits = Array.init n (fun i -> i < validators || rng.Next 8 = 0)
          Weights = Array.init n (fun i -> if i < validators || rng.Next 8 = 0 then row () else [||])
          Bonds = Array.init n (fun i -> if i < validators then row () else [||])
          CommitBlocks = Array.init n (fun _ -> if rng.Next 4 = 0 then uint64 (rng.Next 10000) else UInt64.MaxValue)
          LastMechanismStepBlock = (if rng.Next 2 = 0 then 0UL else block - 360UL)
          RaoEmission = (if rng.Next 4 = 0 then uint64 (rng.NextInt64()) else 1_000_000_000UL) }
    let hp =
        { defaults with
            Era = (if rng.Next 5 = 0 then Before2025_10 else Current)
            Kappa = (if rng.Next 3 = 0 then uint16 (rng.Next 65536) else 32767us)
            BondsPenalty = (match rng.Next 3 with 0 -> 0us | 1 -> 65535us | _ -> uint16 (rng.Next 65536))
            MaxAllowedValidators = (if rng.Next 3 = 0 then uint16 (rng.Next(0, n + 2)) else 64us)
            StakeThreshold = (if rng.Next 4 = 0 then uint64 (rng.NextInt64(0L, 500_000_000_000L)) else 0UL)
            Yuma3 = rng.Next 2 = 0
            LiquidAlpha = rng.Next 2 = 0
            CommitReveal = rng.Next 3 = 0 }
    epochInput hp state

let private epochRunnerSizes = randomSizes @ [ 200; 256 ]

/// The epoch and epoch_step cases.
let epochCases: Case list =
    let forEpoch suite name description seed input = { Runner = "epoch"; Handler = "epoch_mechanism"; Suite = suite; Name = name; Description = description; Seed = seed; Input = input }
    let hand = handMadeEpochs |> List.map (fun (name, description, input) -> forEpoch "hand_made" name description None input)
    let random =
        epochRunnerSizes |> List.mapi (fun index n ->
            let seed = 7000 + index
            forEpoch "random" $"n{n:D3}_seed{seed}" $"seeded random subnet, n = {n}" (Some seed) (randomEpoch (Random seed) n (max 1 (n / 3))))
    let large =
        [ 1024, 9001; 4096, 9002 ] |> List.map (fun (n, seed) ->
            forEpoch "large" $"n{n:D4}_seed{seed}" $"seeded random subnet, n = {n}, 64 validators with about 16 weights each" (Some seed) (randomEpoch (Random seed) n 64))
    // Every step on the hand-made inputs and on the small random ones (n ≤ 32), so steps stay small on disk.
    let steps =
        [ for handler in Handlers.epochStep.Keys do
            for case in hand @ (random |> List.filter (fun c -> c.Name < "n033")) do
                yield { case with Runner = "epoch_step"; Handler = handler } ]
    hand @ random @ large @ steps

// ---------------------------------------------------------------------------------------------------------------------
// Scenarios

open Bittensor.Spec.Subnet

let private people = Examples.participants
let private owner = people[0]
let private validators = people |> Array.filter _.IsValidator
let private funded = people |> Array.map (fun p -> p.Coldkey, 10_000_000_000_000UL) |> List.ofArray

let private genesisOf (parameters: SubnetParameters) : Scenario.Genesis =
    { Netuid = 1us; OwnerColdkey = owner.Coldkey; OwnerHotkey = owner.Hotkey; Parameters = parameters; Block = 1UL; Balances = funded }

let private registerAndStake =
    [ for p in people do yield Scenario.Apply(Register(p.Coldkey, p.Hotkey))
      for p, amount in Array.zip validators [| 6_000_000_000_000UL; 3_000_000_000_000UL; 1_000_000_000_000UL |] do
          yield Scenario.Apply(AddStake(p.Coldkey, p.Hotkey, amount)) ]

let private setWeights (p: Examples.Participant) =
    let w = Examples.weightsOf p.Name
    Scenario.Apply(SetWeights(p.Hotkey, Array.map fst w, Array.map snd w, 0UL))

let private scenarioCase name description (genesis: Scenario.Genesis) steps =
    { Runner = "scenario"; Handler = "subnet"; Suite = "hand_made"; Name = name; Description = description; Seed = None; Input = Scenario.input genesis steps }

let private handMadeScenarios: Case list =
    let p = Examples.parameters
    let commitReveal = { p with Epoch = { p.Epoch with CommitReveal = true } }
    let va = validators[0]
    let uids, values, salt = [| 4us; 5us; 8us |], [| 60000us; 30000us; 500us |], [| 7us; 7us; 7us |]
    let hash = WeightSetting.commitHash va.Hotkey 1us uids values salt 0UL
    let stranger = State.exampleAccount "stranger"
    [ scenarioCase "example_subnet_eight_epochs" "the node's example: three validators, five miners, weights every 10 blocks, 8 epochs"
          (genesisOf p)
          (registerAndStake @ [ Scenario.Advance 20 ] @ List.concat (List.replicate 14 ((validators |> Array.map setWeights |> List.ofArray) @ [ Scenario.Advance 10 ])))
      scenarioCase "full_subnet_pruning" "a full subnet replaces the uid with the lowest emission; the owner is never pruned"
          (genesisOf { p with MaxAllowedUids = 9; ImmunityPeriod = 0UL; MinNonImmuneUids = 0 })
          (registerAndStake @ [ Scenario.Advance 20 ] @ (validators |> Array.map setWeights |> List.ofArray) @ [ Scenario.Advance 20 ]
           @ [ Scenario.Apply(Register(owner.Coldkey, State.exampleAccount "newcomer-hotkey")); Scenario.Advance 1
               Scenario.Apply(Register(owner.Coldkey, State.exampleAccount "second-newcomer-hotkey")) ])
      scenarioCase "immune_uids_are_pruned_last" "with every uid immune and too few non-immune ones, the best immune uid is replaced"
          (genesisOf { p with MaxAllowedUids = 9; ImmunityPeriod = 1000UL; MinNonImmuneUids = 5 })
          (registerAndStake @ [ Scenario.Advance 1; Scenario.Apply(Register(owner.Coldkey, State.exampleAccount "newcomer-hotkey")) ])
      scenarioCase "commit_reveal" "commit, reveal too early, reveal in the next epoch, expire an unrevealed commitment"
          (genesisOf commitReveal)
          (registerAndStake
           @ [ Scenario.Advance 25
               Scenario.Apply(SetWeights(va.Hotkey, uids, values, 0UL))
               Scenario.Apply(CommitWeights(va.Hotkey, hash))
               Scenario.Apply(RevealWeights(va.Hotkey, uids, values, salt, 0UL))
               Scenario.Advance 20
               Scenario.Apply(RevealWeights(va.Hotkey, uids, values, [| 1us |], 0UL))
               Scenario.Apply(RevealWeights(va.Hotkey, uids, values, salt, 0UL))
               Scenario.Apply(CommitWeights(va.Hotkey, hash))
               Scenario.Advance 60
               Scenario.Apply(RevealWeights(va.Hotkey, uids, values, salt, 0UL)) ])
      scenarioCase "rejected_operations" "each operation fails with its named error and changes nothing"
          (genesisOf { p with WeightsVersionKey = 5UL; MinAllowedWeights = 2 })
          (registerAndStake
           @ [ Scenario.Apply(Register(owner.Coldkey, owner.Hotkey))
               Scenario.Apply(Register(stranger, State.exampleAccount "stranger-hotkey"))
               Scenario.Advance 30
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(SetWeights(stranger, [| 4us |], [| 1us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us; 5us |], [| 1us; 2us |], 4UL))
               Scenario.Apply(SetWeights(people[4].Hotkey, [| 5us; 6us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us; 4us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us; 40us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us |], [| 1us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us; 5us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(SetWeights(va.Hotkey, [| 4us; 5us |], [| 1us; 2us |], 5UL))
               Scenario.Apply(CommitWeights(va.Hotkey, hash))
               Scenario.Apply(RevealWeights(va.Hotkey, uids, values, salt, 0UL))
               Scenario.Apply(AddStake(va.Coldkey, va.Hotkey, 1UL))
               Scenario.Apply(AddStake(va.Coldkey, stranger, 1_000_000_000UL))
               Scenario.Apply(AddStake(va.Coldkey, va.Hotkey, 1_000_000_000_000_000UL))
               Scenario.Apply(RemoveStake(people[4].Coldkey, people[4].Hotkey, 1_000_000_000UL))
               Scenario.Apply(ServeAxon(people[4].Hotkey, 1u, 0I, 8091us, 4uy, 4uy))
               Scenario.Apply(ServeAxon(people[4].Hotkey, 1u, 167772161I, 8091us, 7uy, 4uy))
               Scenario.Apply(ServeAxon(people[4].Hotkey, 1u, 167772161I, 8091us, 4uy, 4uy))
               Scenario.Apply(ServeAxon(people[4].Hotkey, 1u, 167772161I, 8092us, 4uy, 4uy)) ])
      scenarioCase "before_2025_10_schedule" "the old tempo rule: epochs every τ + 1 blocks at (b + netuid + 1) mod (τ + 1) = 0"
          (genesisOf { p with Epoch = { p.Epoch with Era = Bittensor.Spec.Yuma.Before2025_10 } })
          (registerAndStake @ [ Scenario.Advance 25 ] @ (validators |> Array.map setWeights |> List.ofArray) @ [ Scenario.Advance 50 ])
      scenarioCase "burn_adjustment" "the burn rises after a busy interval, stays with registrations at the target, and falls after an idle one"
          (genesisOf { p with AdjustmentInterval = 10us; TargetRegistrationsPerInterval = 1us; AdjustmentAlpha = System.UInt64.MaxValue / 4UL })
          (registerAndStake
           @ [ Scenario.Advance 10
               Scenario.Apply(Register(owner.Coldkey, State.exampleAccount "extra-hotkey"))
               Scenario.Advance 10
               Scenario.Advance 30
               Scenario.Apply(Register(owner.Coldkey, State.exampleAccount "newcomer-hotkey")) ]) ]

/// A seeded random scenario: registrations by participants and strangers, stake moves, weight submissions (valid and
/// not), axons, and block steps.
let private randomScenario (rng: Random) : Scenario.Step list =
    let accounts = Array.append (people |> Array.collect (fun p -> [| p.Coldkey; p.Hotkey |])) [| State.exampleAccount "stranger" |]
    let pick () = accounts[rng.Next accounts.Length]
    let uids () = Array.init (rng.Next 6) (fun _ -> uint16 (rng.Next 11))
    [ yield! registerAndStake
      for _ in 1 .. 60 do
          match rng.Next 9 with
          | 0 -> yield Scenario.Apply(Register(pick (), pick ()))
          | 1 | 2 ->
              let u = uids ()
              yield Scenario.Apply(SetWeights(pick (), u, Array.init (u.Length + (if rng.Next 8 = 0 then 1 else 0)) (fun _ -> uint16 (rng.Next 65536)), 0UL))
          | 3 -> yield Scenario.Apply(AddStake(pick (), pick (), uint64 (rng.NextInt64(0L, 2_000_000_000_000L))))
          | 4 -> yield Scenario.Apply(RemoveStake(pick (), pick (), uint64 (rng.NextInt64(0L, 2_000_000_000_000L))))
          | 5 -> yield Scenario.Apply(ServeAxon(pick (), 1u, bigint (rng.NextInt64(0L, 1L <<< 33)), uint16 (rng.Next 65536), (if rng.Next 5 = 0 then 6uy else 4uy), 4uy))
          | 6 ->
              let v = validators[rng.Next validators.Length]
              yield setWeights v
          | _ -> yield Scenario.Advance(rng.Next(1, 30)) ]

let private randomScenarios: Case list =
    [ for index in 0 .. 7 do
        let seed = 5000 + index
        let rng = Random seed
        let parameters =
            { Examples.parameters with
                MaxAllowedUids = rng.Next(6, 16); ImmunityPeriod = uint64 (rng.Next(0, 60)); MinNonImmuneUids = rng.Next(0, 4)
                Epoch = { Examples.parameters.Epoch with Yuma3 = rng.Next 2 = 0; LiquidAlpha = rng.Next 2 = 0 } }
        yield { Runner = "scenario"; Handler = "subnet"; Suite = "random"; Name = $"seed{seed}"; Description = "seeded random operations and blocks"
                Seed = Some seed; Input = Scenario.input (genesisOf parameters) (randomScenario rng) } ]

/// <summary>Regression inputs saved by the differential properties (<c>Conformance/regressions/&lt;runner&gt;/&lt;handler&gt;/*.json</c>,
/// each <c>{"description": …, "input": …}</c>): they become vectors of suite <c>regressions</c>, with the spec's output.</summary>
let regressionCases (root: string) : Case list =
    if not (System.IO.Directory.Exists root) then []
    else
        [ for file in System.IO.Directory.EnumerateFiles(root, "*.json", System.IO.SearchOption.AllDirectories) |> Seq.sortWith (fun a b -> String.CompareOrdinal(a, b)) do
            let relative = System.IO.Path.GetRelativePath(root, file).Split(System.IO.Path.DirectorySeparatorChar)
            let node = JsonNode.Parse(System.IO.File.ReadAllText file)
            if relative.Length <> 3 then failwith $"{file}: regressions live at <runner>/<handler>/<name>.json"
            yield { Runner = relative[0]; Handler = relative[1]; Suite = "regressions"; Name = System.IO.Path.GetFileNameWithoutExtension relative[2]
                    Description = readString $"{file}: description" (field file "description" node); Seed = None
                    Input = (field file "input" node).DeepClone() } ]

let private keyCases () : Case list =
    Keys.cases ()
    |> List.map (fun (handler, suite, name, description, seed, input) ->
        { Runner = "keys"; Handler = handler; Suite = suite; Name = name; Description = description; Seed = seed; Input = input })

let private wireCases () : Case list =
    Wire.cases ()
    |> List.map (fun (handler, suite, name, description, seed, input) ->
        { Runner = "wire"; Handler = handler; Suite = suite; Name = name; Description = description; Seed = seed; Input = input })

/// Every case, in a stable order; <paramref name="regressions"/> is the folder of saved regression inputs.
let all (regressions: string) : Case list =
    handMadeMath @ randomMathCases @ epochCases @ handMadeScenarios @ randomScenarios @ keyCases () @ wireCases () @ regressionCases regressions
