/// <summary>How spec values are written in vectors and in the driver protocol, and read back with errors that name
/// the JSON path at fault. The format is described in <c>vectors/formats/README.md</c>.</summary>
module Bittensor.Conformance.Codec

open System
open System.Numerics
open System.Text.Json.Nodes
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Spec.Yuma

/// <summary>A vector or request that does not have the documented shape; the message names the JSON path.</summary>
exception MalformedException of string

let malformed path (expected: string) = raise (MalformedException $"{path}: expected {expected}")

// ---------------------------------------------------------------------------------------------------------------------
// Writing

let private arrayOf (items: seq<JsonNode>) = JsonArray(items |> Array.ofSeq) :> JsonNode
let private str (s: string) = JsonValue.Create s :> JsonNode
let obj (fields: (string * JsonNode) list) = JsonObject(fields |> List.map (fun (k, v) -> Collections.Generic.KeyValuePair(k, v))) :> JsonNode

let bitsOf<'T when 'T :> IFixed<'T>> (v: 'T) = str ((Fixed.bits v).ToString())
let fixedValue<'T when 'T :> IFixed<'T>> (v: 'T) = obj [ "type", str 'T.Format.Name; "bits", bitsOf v ]
let fixedVector<'T when 'T :> IFixed<'T>> (v: 'T[]) = obj [ "type", str 'T.Format.Name; "bits", arrayOf (v |> Seq.map bitsOf) ]
let sparse (m: Sparse.Matrix) =
    obj [ "type", str "I32F32"
          "rows", arrayOf (m |> Seq.map (fun row -> arrayOf (row |> Seq.map (fun e -> arrayOf [ JsonValue.Create e.Col; bitsOf e.Value ])))) ]
let dense (m: I32F32[][]) = obj [ "type", str "I32F32"; "dense", arrayOf (m |> Seq.map (fun row -> arrayOf (row |> Seq.map bitsOf))) ]
let u16s (v: uint16[]) = arrayOf (v |> Seq.map (fun x -> JsonValue.Create(int x) :> JsonNode))
let u64 (x: uint64) = str (string x)
let u64s (v: uint64[]) = arrayOf (v |> Seq.map u64)
let bools (v: bool[]) = arrayOf (v |> Seq.map (fun b -> JsonValue.Create b :> JsonNode))
let flag (b: bool) = JsonValue.Create b :> JsonNode
let num (i: int) = JsonValue.Create i :> JsonNode
let nums (v: int[]) = arrayOf (v |> Seq.map num)
let text (s: string) = str s
let storedRows (rows: StoredEntry[][]) = arrayOf (rows |> Seq.map (fun row -> arrayOf (row |> Seq.map (fun e -> arrayOf [ num e.Uid; num (int e.Value) ]))))

let hyperparameters (hp: Hyperparameters) =
    obj [ "era", str (match hp.Era with Current -> "current" | Before2025_10 -> "before_2025_10")
          "activity_cutoff", num (int hp.ActivityCutoff)
          "tempo", num (int hp.Tempo)
          "activity_cutoff_factor_milli", u64 hp.ActivityCutoffFactorMilli
          "kappa", num (int hp.Kappa)
          "bonds_penalty", num (int hp.BondsPenalty)
          "bonds_moving_average", u64 hp.BondsMovingAverage
          "max_allowed_validators", num (int hp.MaxAllowedValidators)
          "stake_threshold", u64 hp.StakeThreshold
          "tao_weight", u64 hp.TaoWeight
          "yuma3", flag hp.Yuma3
          "liquid_alpha", flag hp.LiquidAlpha
          "alpha_low", num (int hp.AlphaLow)
          "alpha_high", num (int hp.AlphaHigh)
          "alpha_sigmoid_steepness", num (int hp.AlphaSigmoidSteepness)
          "commit_reveal", flag hp.CommitReveal ]

let epochState (s: EpochState) =
    obj [ "n", num s.N
          "block", u64 s.Block
          "last_update", u64s s.LastUpdate
          "block_at_registration", u64s s.BlockAtRegistration
          "alpha_stake", u64s s.AlphaStake
          "tao_stake", u64s s.TaoStake
          "owner_uid", (match s.OwnerUid with Some u -> num u | None -> null)
          "validator_permits", bools s.ValidatorPermits
          "weights", storedRows s.Weights
          "bonds", storedRows s.Bonds
          "commit_blocks", u64s s.CommitBlocks
          "last_mechanism_step_block", u64 s.LastMechanismStepBlock
          "rao_emission", u64 s.RaoEmission ]

let epochOutput (o: EpochOutput) =
    obj [ "active", bools o.Active
          "stake_weight", u16s o.StakeWeight
          "consensus", u16s o.Consensus
          "incentive", u16s o.Incentive
          "dividends", u16s o.Dividends
          "validator_trust", u16s o.ValidatorTrust
          "server_emission", u64s o.ServerEmission
          "validator_emission", u64s o.ValidatorEmission
          "emission", u64s o.Emission
          "new_validator_permits", bools o.NewValidatorPermits
          "rank", u16s o.Rank
          "trust", u16s o.Trust
          "pruning_score", u16s o.PruningScore
          "bonds", storedRows o.Bonds
          "stake", u64s o.Stake ]

// ---------------------------------------------------------------------------------------------------------------------
// Reading. Every reader takes the JSON path it is reading, for the error message.

let field (path: string) (name: string) (node: JsonNode) : JsonNode =
    match node with
    | :? JsonObject as o when o.ContainsKey name -> o[name]
    | :? JsonObject -> malformed $"{path}.{name}" "a field (it is missing)"
    | _ -> malformed path "an object"

let optionalField (name: string) (node: JsonNode) : JsonNode option =
    match node with
    | :? JsonObject as o when o.ContainsKey name && not (isNull o[name]) -> Some o[name]
    | _ -> None

let private items path (node: JsonNode) : (string * JsonNode)[] =
    match node with
    | :? JsonArray as a -> a |> Seq.mapi (fun i item -> $"{path}[{i}]", item) |> Array.ofSeq
    | _ -> malformed path "an array"

let private scalarString path (node: JsonNode) =
    match node with
    | :? JsonValue as v ->
        match v.TryGetValue<string>() with
        | true, s -> s
        | _ -> v.ToJsonString()
    | _ -> malformed path "a number or a string of digits"

let readBigInteger path (node: JsonNode) : BigInteger =
    match BigInteger.TryParse(scalarString path node, Globalization.NumberStyles.AllowLeadingSign, Globalization.CultureInfo.InvariantCulture) with
    | true, v -> v
    | _ -> malformed path "an integer (as a number or a string of decimal digits)"

let private ranged path (low: BigInteger) (high: BigInteger) what (node: JsonNode) =
    let v = readBigInteger path node
    if v < low || v > high then malformed path $"{what} (got {v})" else v

let readU16 path node = uint16 (ranged path 0I 65535I "a u16, 0 to 65535" node)
let readU64 path node = uint64 (ranged path 0I (BigInteger UInt64.MaxValue) "a u64" node)
let readI16 path node = int16 (ranged path -32768I 32767I "an i16" node)
let readInt path node = int (ranged path 0I (BigInteger Int32.MaxValue) "a non-negative integer" node)
let readBool path (node: JsonNode) =
    match node with
    | :? JsonValue as v ->
        match v.TryGetValue<bool>() with
        | true, b -> b
        | _ -> malformed path "true or false"
    | _ -> malformed path "true or false"
let readString path (node: JsonNode) =
    match node with
    | :? JsonValue as v ->
        match v.TryGetValue<string>() with
        | true, s -> s
        | _ -> malformed path "a string"
    | _ -> malformed path "a string"

/// <summary>Bytes written as "0x" + hex digits.</summary>
let hexBytes (bytes: byte[]) = text ("0x" + Convert.ToHexStringLower bytes)

let readHex path (node: JsonNode) =
    let s = readString path node
    if not (s.StartsWith "0x") then malformed path "0x followed by hex digits"
    try Convert.FromHexString(s.Substring 2) with :? FormatException -> malformed path "0x followed by hex digits"

/// <summary>The string field <paramref name="name"/> of a vector's input.</summary>
let inputString name input = readString $"input.{name}" (field "input" name input)

let readArray path (read: string -> JsonNode -> 'a) (node: JsonNode) : 'a[] = items path node |> Array.map (fun (p, n) -> read p n)

let private readBitsOf<'T when 'T :> IFixed<'T>> path node : 'T =
    let bits = readBigInteger path node
    if 'T.Format.Fits bits then 'T.OfBitsUnchecked bits else malformed path $"{'T.Format.Name} bits within its range (got {bits})"

let private checkType<'T when 'T :> IFixed<'T>> path (node: JsonNode) =
    let declared = readString $"{path}.type" (field path "type" node)
    if declared <> 'T.Format.Name then malformed $"{path}.type" $"\"{'T.Format.Name}\" (got \"{declared}\")"

let readFixed<'T when 'T :> IFixed<'T>> path (node: JsonNode) : 'T =
    checkType<'T> path node
    readBitsOf<'T> $"{path}.bits" (field path "bits" node)

let readFixedVector<'T when 'T :> IFixed<'T>> path (node: JsonNode) : 'T[] =
    checkType<'T> path node
    readArray $"{path}.bits" readBitsOf<'T> (field path "bits" node)

let readSparse path (node: JsonNode) : Sparse.Matrix =
    checkType<I32F32> path node
    let readEntry p (entry: JsonNode) =
        match entry with
        | :? JsonArray as pair when pair.Count = 2 -> Sparse.entry (readInt $"{p}[0]" pair[0]) (readBitsOf<I32F32> $"{p}[1]" pair[1])
        | _ -> malformed p "a [column, bits] pair"
    readArray $"{path}.rows" (fun p row -> readArray p readEntry row) (field path "rows" node)

let readDense path (node: JsonNode) : I32F32[][] =
    checkType<I32F32> path node
    readArray $"{path}.dense" (fun p row -> readArray p readBitsOf<I32F32> row) (field path "dense" node)

let readStoredRows path (node: JsonNode) : StoredEntry[][] =
    let readEntry p (entry: JsonNode) =
        match entry with
        | :? JsonArray as pair when pair.Count = 2 -> { Uid = readInt $"{p}[0]" pair[0]; Value = readU16 $"{p}[1]" pair[1] }
        | _ -> malformed p "a [uid, u16] pair"
    readArray path (fun p row -> readArray p readEntry row) node

let readHyperparameters path (node: JsonNode) : Hyperparameters =
    let f name = field path name node
    let p name = $"{path}.{name}"
    { Era =
        match readString (p "era") (f "era") with
        | "current" -> Current
        | "before_2025_10" -> Before2025_10
        | other -> malformed (p "era") $"\"current\" or \"before_2025_10\" (got \"{other}\")"
      ActivityCutoff = readU16 (p "activity_cutoff") (f "activity_cutoff")
      Tempo = readU16 (p "tempo") (f "tempo")
      ActivityCutoffFactorMilli = readU64 (p "activity_cutoff_factor_milli") (f "activity_cutoff_factor_milli")
      Kappa = readU16 (p "kappa") (f "kappa")
      BondsPenalty = readU16 (p "bonds_penalty") (f "bonds_penalty")
      BondsMovingAverage = readU64 (p "bonds_moving_average") (f "bonds_moving_average")
      MaxAllowedValidators = readU16 (p "max_allowed_validators") (f "max_allowed_validators")
      StakeThreshold = readU64 (p "stake_threshold") (f "stake_threshold")
      TaoWeight = readU64 (p "tao_weight") (f "tao_weight")
      Yuma3 = readBool (p "yuma3") (f "yuma3")
      LiquidAlpha = readBool (p "liquid_alpha") (f "liquid_alpha")
      AlphaLow = readU16 (p "alpha_low") (f "alpha_low")
      AlphaHigh = readU16 (p "alpha_high") (f "alpha_high")
      AlphaSigmoidSteepness = readI16 (p "alpha_sigmoid_steepness") (f "alpha_sigmoid_steepness")
      CommitReveal = readBool (p "commit_reveal") (f "commit_reveal") }

let readEpochState path (node: JsonNode) : EpochState =
    let f name = field path name node
    let p name = $"{path}.{name}"
    let n = readInt (p "n") (f "n")
    if n > 65536 then malformed (p "n") $"at most 65536 uids (got {n})"
    { N = n
      Block = readU64 (p "block") (f "block")
      LastUpdate = readArray (p "last_update") readU64 (f "last_update")
      BlockAtRegistration = readArray (p "block_at_registration") readU64 (f "block_at_registration")
      AlphaStake = readArray (p "alpha_stake") readU64 (f "alpha_stake")
      TaoStake = readArray (p "tao_stake") readU64 (f "tao_stake")
      OwnerUid = optionalField "owner_uid" node |> Option.map (readInt (p "owner_uid"))
      ValidatorPermits = readArray (p "validator_permits") readBool (f "validator_permits")
      Weights = readStoredRows (p "weights") (f "weights")
      Bonds = readStoredRows (p "bonds") (f "bonds")
      CommitBlocks = readArray (p "commit_blocks") readU64 (f "commit_blocks")
      LastMechanismStepBlock = readU64 (p "last_mechanism_step_block") (f "last_mechanism_step_block")
      RaoEmission = readU64 (p "rao_emission") (f "rao_emission") }
