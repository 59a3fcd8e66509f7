/// <summary>The one JSON form vectors are written in, so that regenerating them diffs cleanly: object keys sorted
/// (ordinal), two-space indentation, arrays of scalars on one line, LF line ends, a final newline. Numbers that may
/// exceed 2^53 (u64, fixed-point bits) are strings, so every language reads them exactly.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Conformance.CanonicalJson

open System.Text
open System.Text.Json
open System.Text.Json.Nodes

let private isScalar (node: JsonNode) = not (node :? JsonObject) && not (node :? JsonArray)

let private scalarText (node: JsonNode) =
    match node with
    | null -> "null"
    | _ -> node.ToJsonString(JsonSerializerOptions(Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping))

let private sortedKeys (o: JsonObject) =
    o |> Seq.map _.Key |> Seq.sortWith (fun a b -> System.String.CompareOrdinal(a, b)) |> Array.ofSeq

/// <summary>Writes <paramref name="node"/> in canonical form.</summary>
let write (node: JsonNode) : string =
    let text = StringBuilder()
    let rec emit (node: JsonNode) (indent: string) =
        match node with
        | :? JsonObject as o when o.Count = 0 -> text.Append("{}") |> ignore
        | :? JsonObject as o ->
            text.Append("{\n") |> ignore
            let keys = sortedKeys o
            keys |> Array.iteri (fun i key ->
                text.Append(indent + "  ").Append(JsonSerializer.Serialize key).Append(": ") |> ignore
                emit o[key] (indent + "  ")
                text.Append(if i < keys.Length - 1 then ",\n" else "\n") |> ignore)
            text.Append(indent + "}") |> ignore
        | :? JsonArray as a when a.Count = 0 -> text.Append("[]") |> ignore
        | :? JsonArray as a when Seq.forall isScalar a ->
            text.Append("[").Append(a |> Seq.map scalarText |> String.concat ", ").Append("]") |> ignore
        | :? JsonArray as a ->
            text.Append("[\n") |> ignore
            a |> Seq.iteri (fun i item ->
                text.Append(indent + "  ") |> ignore
                emit item (indent + "  ")
                text.Append(if i < a.Count - 1 then ",\n" else "\n") |> ignore)
            text.Append(indent + "]") |> ignore
        | scalar -> text.Append(scalarText scalar) |> ignore
    emit node ""
    text.Append("\n").ToString()

/// <summary>One line of JSON with sorted keys and no spaces (the driver protocol's form).</summary>
let writeLine (node: JsonNode) : string =
    let text = StringBuilder()
    let rec emit (node: JsonNode) =
        match node with
        | :? JsonObject as o ->
            text.Append("{") |> ignore
            sortedKeys o |> Array.iteri (fun i key ->
                if i > 0 then text.Append(",") |> ignore
                text.Append(JsonSerializer.Serialize key).Append(":") |> ignore
                emit o[key])
            text.Append("}") |> ignore
        | :? JsonArray as a ->
            text.Append("[") |> ignore
            a |> Seq.iteri (fun i item -> (if i > 0 then text.Append(",") |> ignore); emit item)
            text.Append("]") |> ignore
        | scalar -> text.Append(scalarText scalar) |> ignore
    emit node
    text.ToString()

/// <summary>Structural equality of two JSON values: same kinds, same object keys, same array lengths, same scalar
/// text (numbers compared as written).</summary>
let rec equal (a: JsonNode) (b: JsonNode) : bool =
    match a, b with
    | null, null -> true
    | null, _ | _, null -> false
    | (:? JsonObject as x), (:? JsonObject as y) ->
        x.Count = y.Count && x |> Seq.forall (fun kv -> y.ContainsKey kv.Key && equal kv.Value y[kv.Key])
    | (:? JsonArray as x), (:? JsonArray as y) -> x.Count = y.Count && Seq.forall2 equal x y
    | _ when isScalar a && isScalar b -> scalarText a = scalarText b
    | _ -> false

/// <summary>The first place two JSON values differ, as (path, expected, actual), or None when they are equal.</summary>
let rec firstDifference (path: string) (expected: JsonNode) (actual: JsonNode) : (string * string * string) option =
    let show (n: JsonNode) = if isNull n then "null" elif isScalar n then scalarText n else (writeLine n |> fun s -> if s.Length > 120 then s.Substring(0, 117) + "..." else s)
    match expected, actual with
    | (:? JsonObject as x), (:? JsonObject as y) ->
        let keys = Seq.append (x |> Seq.map _.Key) (y |> Seq.map _.Key) |> Seq.distinct |> Seq.sort
        keys |> Seq.tryPick (fun k ->
            match x.ContainsKey k, y.ContainsKey k with
            | true, true -> firstDifference $"{path}.{k}" x[k] y[k]
            | true, false -> Some($"{path}.{k}", show x[k], "(missing)")
            | false, _ -> Some($"{path}.{k}", "(absent)", show y[k]))
    | (:? JsonArray as x), (:? JsonArray as y) ->
        Seq.zip x y |> Seq.indexed |> Seq.tryPick (fun (i, (p, q)) -> firstDifference $"{path}[{i}]" p q)
        |> Option.orElse (if x.Count <> y.Count then Some($"{path}.length", string x.Count, string y.Count) else None)
    | _ when equal expected actual -> None
    | _ -> Some(path, show expected, show actual)
