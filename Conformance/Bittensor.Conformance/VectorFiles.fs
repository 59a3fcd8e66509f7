/// <summary>Vector files on disk: <c>vectors/&lt;runner&gt;/&lt;handler&gt;/&lt;suite&gt;/&lt;case&gt;.json</c>, one
/// case per file, in canonical JSON. See <c>vectors/formats/README.md</c>.</summary>
module Bittensor.Conformance.VectorFiles

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open Bittensor.Conformance.Codec
open Bittensor.Conformance.Cases

/// Bumped whenever the generator's output format changes.
let generatorVersion = "1"
/// The version of the rules the vectors were generated from.
let specVersion = "0.1.0"
/// The subtensor source the rules follow (shared/notes/yuma-epoch.md).
let subtensorCommit = "14bc6f9f964b9cc362e9635dd110a487fa5d15a0"

/// The runners whose vectors the generator owns (it rewrites their folders completely).
let generatedRunners = [ "math"; "epoch_step"; "epoch"; "scenario"; "keys"; "wire" ]

/// The checkout's root: the nearest folder at or above <paramref name="start"/> holding <c>Bittensor.sln</c>.
/// Found at run time, never from <c>__SOURCE_DIRECTORY__</c>: CI builds map source paths to <c>/_/</c>.
let repositoryRootFrom (start: string) : Result<string, string> =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then Error $"no Bittensor.sln at or above {start}"
        elif File.Exists(Path.Combine(dir.FullName, "Bittensor.sln")) then Ok dir.FullName
        else up dir.Parent
    up (DirectoryInfo start)

let relativePath (case: Case) = Path.Combine(case.Runner, case.Handler, case.Suite, case.Name + ".json")

/// The file's JSON: what the case is, where it came from, its input and the spec's output.
let render (case: Case) (output: JsonNode) : string =
    obj [ "runner", text case.Runner
          "handler", text case.Handler
          "suite", text case.Suite
          "case", text case.Name
          "description", text case.Description
          "info",
          obj [ "generator", text "Bittensor.Conformance (conformance generate)"
                "generator_version", text generatorVersion
                "spec_version", text specVersion
                "subtensor_commit", text subtensorCommit
                "seed", (match case.Seed with Some s -> num s | None -> null) ]
          "input", case.Input
          "output", output ]
    |> CanonicalJson.write

/// Computes every case's output with the spec and writes the files under <paramref name="root"/>, replacing the
/// generated runners' folders; <paramref name="regressions"/> holds saved regression inputs. Returns the number of
/// files written.
let generate (root: string) (regressions: string) : int =
    for runner in generatedRunners do
        let folder = Path.Combine(root, runner)
        if Directory.Exists folder then Directory.Delete(folder, true)
    let cases = Cases.all regressions
    for case in cases do
        let handler = Handlers.runners[case.Runner][case.Handler]
        let path = Path.Combine(root, relativePath case)
        Directory.CreateDirectory(Path.GetDirectoryName path) |> ignore
        // Clone: a JsonNode can belong to one parent only, and some inputs are shared between cases.
        let case = { case with Input = JsonNode.Parse(case.Input.ToJsonString()) }
        File.WriteAllText(path, render case (handler case.Input))
    cases.Length

/// A vector read back from disk.
type Vector = { Path: string; Runner: string; Handler: string; Suite: string; Name: string; Input: JsonNode; Expected: JsonNode }

/// <summary>Reads and checks one vector file; a malformed one gives an error that names the file and what is
/// wrong.</summary>
let read (root: string) (path: string) : Result<Vector, string> =
    let relative = Path.GetRelativePath(root, path)
    try
        let node = JsonNode.Parse(File.ReadAllText path)
        let str name = readString name (field "vector" name node)
        let vector =
            { Path = relative; Runner = str "runner"; Handler = str "handler"; Suite = str "suite"; Name = str "case"
              Input = field "vector" "input" node; Expected = field "vector" "output" node }
        let expectedPath = Path.Combine(vector.Runner, vector.Handler, vector.Suite, vector.Name + ".json")
        if expectedPath <> relative then Error $"{relative}: its runner/handler/suite/case say it belongs at {expectedPath}"
        else Ok vector
    with
    | :? JsonException as e -> Error $"{relative}: not valid JSON ({e.Message})"
    | MalformedException message -> Error $"{relative}: {message}"
    | :? IOException as e -> Error $"{relative}: cannot be read ({e.Message})"

/// <summary>Every vector file under <paramref name="root"/> (the <c>formats</c> folder holds documentation, not
/// vectors), in ordinal order of their relative paths.</summary>
let list (root: string) : string[] =
    Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
    |> Seq.filter (fun p -> not (Path.GetRelativePath(root, p).StartsWith("formats" + string Path.DirectorySeparatorChar)))
    |> Seq.sortWith (fun a b -> String.CompareOrdinal(a, b))
    |> Array.ofSeq
