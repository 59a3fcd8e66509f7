/// <summary>The wire runner: the axon/dendrite rules of <c>Bittensor.Spec.Wire.Synapse</c> (body hash, the signed
/// request message, nonces, version numbers) and request-signature verification, whose sr25519 half comes from the
/// identity library as in the keys runner.</summary>
module Bittensor.Conformance.Wire

open System
open System.Numerics
open System.Text
open System.Text.Json
open System.Text.Json.Nodes
open Bittensor.Identity
open Bittensor.Spec.Wire.Synapse
open Bittensor.Conformance.Codec

/// JSON → the Python value it stands for: strings, integers, booleans, null, arrays, objects (string keys).
let rec private pyValue path (node: JsonNode) : PyValue =
    match node with
    | null -> PyNone
    | :? JsonArray as a -> a |> Seq.mapi (fun i n -> pyValue $"{path}[{i}]" n) |> List.ofSeq |> PyList
    | :? JsonObject as o -> o |> Seq.map (fun kv -> PyStr kv.Key, pyValue $"{path}.{kv.Key}" kv.Value) |> List.ofSeq |> PyDict
    | :? JsonValue as v ->
        match v.GetValueKind() with
        | JsonValueKind.String -> PyStr(v.GetValue<string>())
        | JsonValueKind.True -> PyBool true
        | JsonValueKind.False -> PyBool false
        | JsonValueKind.Number ->
            match BigInteger.TryParse(v.ToJsonString()) with
            | true, i -> PyInt i
            | _ -> malformed path "an integer (floats are not part of the specified wire)"
        | _ -> malformed path "a string, integer, boolean, null, array or object"
    | _ -> malformed path "a JSON value"

let private readI64 path node =
    let v = readBigInteger path node
    if v < BigInteger Int64.MinValue || v > BigInteger Int64.MaxValue then malformed path "a signed 64-bit integer"
    int64 v

let private optionalI64 path (node: JsonNode) = match node with | null -> None | n -> Some(readI64 path n)
let private str = inputString

/// <summary>The axon's check of a request signature: the message rebuilt with the axon's own hotkey, verified
/// against the dendrite hotkey's public key; the polkadot-js wrapping <c>&lt;Bytes&gt;…&lt;/Bytes&gt;</c> is accepted
/// as the SDK's wallet accepts it. False for an unparsable hotkey or a signature that is not 64 bytes.</summary>
let verifyRequest (nonce: int64) (dendriteHotkey: string) (axonHotkey: string) (uuid: string) (bodyHash: string) (signature: byte[]) =
    try
        let struct (_, publicKey) = Ss58.Decode dendriteHotkey
        let message = requestMessage nonce dendriteHotkey axonHotkey uuid bodyHash
        let verify (bytes: byte[]) = Sr25519KeyPair.Verify(ReadOnlySpan signature, ReadOnlySpan bytes, ReadOnlySpan publicKey)
        signature.Length = 64 && (verify (Encoding.UTF8.GetBytes message) || verify (Encoding.UTF8.GetBytes("<Bytes>" + message + "</Bytes>")))
    with :? FormatException | :? ArgumentException -> false

let private refusalName = function
    | NonceMissing -> "nonce_missing"
    | NonceTooOld -> "nonce_too_old"
    | NonceNotIncreasing -> "nonce_not_increasing"

/// The handlers of the wire runner.
let handlers: Map<string, JsonNode -> JsonNode> =
    Map.ofList [
        "body_hash", fun i ->
            let values = field "input" "fields" i |> readArray "input.fields" pyValue |> List.ofArray
            obj [ "field_strings", JsonArray(values |> List.map (fun v -> text (pyStr v)) |> Array.ofList) :> JsonNode
                  "body_hash", text (bodyHash values) ]
        "request_message", fun i ->
            obj [ "message", text (requestMessage (readI64 "input.nonce" (field "input" "nonce" i)) (str "dendrite_hotkey" i) (str "axon_hotkey" i) (str "uuid" i) (str "body_hash" i)) ]
        "request_signature", fun i ->
            let valid =
                verifyRequest (readI64 "input.nonce" (field "input" "nonce" i)) (str "dendrite_hotkey" i) (str "axon_hotkey" i) (str "uuid" i)
                    (str "body_hash" i) (readHex "input.signature" (field "input" "signature" i))
            obj [ "valid", flag valid ]
        "nonce", fun i ->
            let verdict =
                checkNonce (readI64 "input.now_ns" (field "input" "now_ns" i)) (readI64 "input.timeout_ns" (field "input" "timeout_ns" i))
                    (readI64 "input.dendrite_version" (field "input" "dendrite_version" i))
                    (optionalI64 "input.last_accepted" (field "input" "last_accepted" i)) (optionalI64 "input.nonce" (field "input" "nonce" i))
            match verdict with
            | Ok() -> obj [ "accepted", flag true ]
            | Error refusal -> obj [ "accepted", flag false; "refusal", text (refusalName refusal) ]
        "version_as_int", fun i ->
            match versionAsInt (str "version" i) with
            | Some v -> obj [ "valid", flag true; "value", text (string v) ]
            | None -> obj [ "valid", flag false ]
    ]

/// A case of the wire runner: (handler, suite, name, description, seed, input).
type WireCase = string * string * string * string * int option * JsonNode

let private json (s: string) = JsonNode.Parse s

/// Hand-made cases (named after what they test) and seeded random ones.
let cases () : WireCase list =
    let hand handler name description input = handler, "hand_made", name, description, None, input
    let alice = SecretUri.Parse("//Alice").ToSr25519()
    let bob = SecretUri.Parse("//Bob").ToSr25519()
    let aliceSs58, bobSs58 = Ss58.Encode(ReadOnlySpan alice.PublicKey), Ss58.Encode(ReadOnlySpan bob.PublicKey)
    let uuid = "1f0c3a2e-5b7d-11ef-9a4c-0242ac120002"
    let emptyHash = bodyHash []
    let signed (signer: Sr25519KeyPair) (message: string) (seed: int) =
        let randomness = Array.zeroCreate<byte> 32
        Random(seed).NextBytes randomness
        signer.Sign(ReadOnlySpan(Encoding.UTF8.GetBytes message), "substrate", ReadOnlySpan randomness)
    let signatureCase nonce axonHotkey bodyHashInRequest (signature: byte[]) =
        obj [ "nonce", text (string nonce); "dendrite_hotkey", text aliceSs58; "axon_hotkey", text axonHotkey; "uuid", text uuid
              "body_hash", text bodyHashInRequest; "signature", hexBytes signature ]
    let nonce now timeout version last n =
        let opt = function | Some (v: int64) -> text (string v) | None -> null
        obj [ "now_ns", text (string now); "timeout_ns", text (string timeout); "dendrite_version", text (string version)
              "last_accepted", opt last; "nonce", opt n ]
    let now = 1_764_000_000_000_000_000L
    let second = 1_000_000_000L
    [ yield hand "body_hash" "no_fields" "no required hash fields: SHA3-256 of the empty string" (obj [ "fields", JsonArray() ])
      yield hand "body_hash" "one_string" "a string hashes as itself" (obj [ "fields", json """["In the beginning"]""" ])
      yield hand "body_hash" "int_and_bool" "an int as digits, a bool as True/False" (obj [ "fields", json """[42, true, false, null]""" ])
      yield hand "body_hash" "list_of_strings" "a list shows its strings' repr: ['a', 'b']" (obj [ "fields", json """[["a", "b"]]""" ])
      yield hand "body_hash" "quotes_and_escapes" "repr picks double quotes for it's, escapes \\ \\n \\t and controls"
          (obj [ "fields", json """[["it's", "say \"hi\"", "both ' and \"", "tab\tnew\nline\\", "bell\u0007", "é ü"]]""" ])
      yield hand "body_hash" "dict" "a dict in insertion order: {'k': [1, 2]}" (obj [ "fields", json """[{"k": [1, 2], "z": "v"}]""" ])
      yield hand "body_hash" "nested_empty" "empty list and dict" (obj [ "fields", json """[[], {}, [[]]]""" ])
      yield hand "request_message" "dev_accounts" "Alice signs for Bob's axon"
          (obj [ "nonce", text (string now); "dendrite_hotkey", text aliceSs58; "axon_hotkey", text bobSs58; "uuid", text uuid; "body_hash", text emptyHash ])
      let message = requestMessage now aliceSs58 bobSs58 uuid emptyHash
      let good = signed alice message 1
      yield hand "request_signature" "valid" "Alice's request to Bob's axon, checked by Bob" (signatureCase now bobSs58 emptyHash good)
      yield hand "request_signature" "other_axon" "the same request checked by another axon (Alice's own) fails" (signatureCase now aliceSs58 emptyHash good)
      yield hand "request_signature" "body_changed" "a different body hash fails" (signatureCase now bobSs58 (bodyHash [ PyStr "x" ]) good)
      yield hand "request_signature" "nonce_changed" "a different nonce fails" (signatureCase (now + 1L) bobSs58 emptyHash good)
      yield hand "request_signature" "signed_by_bob" "signed by Bob, claimed as Alice's, fails" (signatureCase now bobSs58 emptyHash (signed bob message 2))
      yield hand "request_signature" "bytes_wrapped" "a polkadot-js style <Bytes>…</Bytes> signature is accepted"
          (signatureCase now bobSs58 emptyHash (signed alice ("<Bytes>" + message + "</Bytes>") 3))
      yield hand "request_signature" "short_signature" "a 63-byte signature fails" (signatureCase now bobSs58 emptyHash good[.. 62])
      yield hand "nonce" "missing" "no nonce" (nonce now (12L * second) 10_002_000L None None)
      yield hand "nonce" "fresh" "a first request one second old" (nonce now (12L * second) 10_002_000L None (Some(now - second)))
      yield hand "nonce" "window_edge_refused" "exactly now − 4 s − timeout is too old" (nonce now (12L * second) 10_002_000L None (Some(now - 16L * second)))
      yield hand "nonce" "window_edge_accepted" "one nanosecond newer is accepted" (nonce now (12L * second) 10_002_000L None (Some(now - 16L * second + 1L)))
      yield hand "nonce" "future" "a future nonce has no upper bound" (nonce now (12L * second) 10_002_000L None (Some(now + 3600L * second)))
      yield hand "nonce" "replayed" "the last accepted nonce again" (nonce now (12L * second) 10_002_000L (Some(now - second)) (Some(now - second)))
      yield hand "nonce" "increasing_but_old" "a stored key skips the window: older than 16 s but newer than the last" (nonce now (12L * second) 10_002_000L (Some(now - 60L * second)) (Some(now - 30L * second)))
      yield hand "nonce" "old_dendrite" "before 7.2.0 only the increasing rule: a tiny monotonic nonce is accepted" (nonce now (12L * second) 7_001_000L None (Some 5L))
      yield hand "nonce" "old_dendrite_replay" "before 7.2.0 a repeat is refused" (nonce now (12L * second) 7_001_000L (Some 5L) (Some 5L))
      yield hand "nonce" "version_7_2_0" "7.2.0 itself gets the window" (nonce now (12L * second) 7_002_000L None (Some 5L))
      for version in [ "10.2.0"; "7.2.0"; "0.0.1"; "1.1000.0"; "10.2"; "v10.2.0"; "10.2.-1"; ""; "9223372036853.999.999"; "9223372036854.0.0" ] do
          yield hand "version_as_int" (if version = "" then "empty" else version.Replace('.', '_').Replace('-', 'm')) "major·10⁶ + minor·10³ + patch, or invalid (incl. a value past a signed 64-bit integer)"
              (obj [ "version", text version ])
      for index in 0 .. 9 do
          let seed = 9100 + index
          let rng = Random seed
          let randomText () = String(Array.init (rng.Next(0, 40)) (fun _ -> char (if rng.Next 10 = 0 then rng.Next(0, 0x250) else rng.Next(0x20, 0x7f))))
          let fields = JsonArray [| for _ in 1 .. rng.Next(1, 4) ->
                                     match rng.Next 3 with
                                     | 0 -> text (randomText ())
                                     | 1 -> JsonArray [| for _ in 1 .. rng.Next(0, 5) -> text (randomText ()) |] :> JsonNode
                                     | _ -> JsonValue.Create(rng.NextInt64()) :> JsonNode |]
          yield "body_hash", "random", $"seed{seed}", "seeded strings, lists and integers", Some seed, obj [ "fields", fields ]
          let signer = SecretUri.Parse($"//wire{seed}").ToSr25519()
          let axon = SecretUri.Parse($"//axon{seed}").ToSr25519()
          let signerSs58, axonSs58 = Ss58.Encode(ReadOnlySpan signer.PublicKey), Ss58.Encode(ReadOnlySpan axon.PublicKey)
          let n = now + rng.NextInt64(0L, 1_000_000L)
          let hash = bodyHash [ PyStr(randomText ()) ]
          let signature = signed signer (requestMessage n signerSs58 axonSs58 uuid hash) seed
          if index % 4 = 3 then signature[rng.Next 64] <- signature[rng.Next 64] ^^^ 1uy
          yield "request_signature", "random", $"seed{seed}", "a seeded request signature (every fourth one corrupted)", Some seed,
                obj [ "nonce", text (string n); "dendrite_hotkey", text signerSs58; "axon_hotkey", text axonSs58; "uuid", text uuid
                      "body_hash", text hash; "signature", hexBytes signature ]
          let timeout = rng.NextInt64(0L, 30L * second)
          let last = if rng.Next 2 = 0 then Some(now - rng.NextInt64(0L, 60L * second)) else None
          yield "nonce", "random", $"seed{seed}", "a seeded nonce, window and history", Some seed,
                nonce now timeout (if rng.Next 3 = 0 then 7_001_000L else 10_002_000L) last (Some(now - rng.NextInt64(-5L * second, 40L * second))) ]
