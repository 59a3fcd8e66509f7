/// <summary>The <c>conformance</c> command: generate and check vectors, run them against a driver, or be the spec's
/// driver.</summary>
module Bittensor.Conformance.Cli.Program

open System
open System.IO
open Bittensor.Conformance

let usage =
    """usage: conformance <command> [options]

commands:
  generate [--out DIR]            write every vector (default DIR: vectors), replacing the generated runners' folders
  check [--vectors DIR]           regenerate into a temporary folder and fail on any difference from DIR
  run --driver "COMMAND" [--vectors DIR] [--filter TEXT]... [--exclusions FILE] [--timeout-ms N] [--report FILE]
                                  feed every vector to COMMAND (one JSON request per line on its stdin, one JSON
                                  answer per line on its stdout) and compare the answers in full
  spec-driver                     answer requests with the executable spec (the reference driver)
"""

/// Options as (name, value) pairs; a flag without a value is an error.
let private parseOptions (args: string list) : Result<(string * string) list, string> =
    let rec loop acc = function
        | [] -> Ok(List.rev acc)
        | (name: string) :: value :: rest when name.StartsWith "--" && not (value.StartsWith "--") -> loop ((name, value) :: acc) rest
        | name :: _ -> Error $"option {name} needs a value"
    loop [] args

let private single (options: (string * string) list) name fallback =
    options |> List.tryFindBack (fun (n, _) -> n = name) |> Option.map snd |> Option.defaultValue fallback

/// Outside a checkout the defaults fall back to the working folder, and the options say where to look instead.
let private repositoryRoot () =
    VectorFiles.repositoryRootFrom (Directory.GetCurrentDirectory()) |> Result.defaultValue (Directory.GetCurrentDirectory())

let private differences (expectedRoot: string) (actualRoot: string) =
    let relativeFiles root = VectorFiles.list root |> Array.map (fun f -> Path.GetRelativePath(root, f)) |> Set.ofArray
    let generated (relative: string) = VectorFiles.generatedRunners |> List.exists (fun r -> relative.StartsWith(r + string Path.DirectorySeparatorChar))
    let expected = relativeFiles expectedRoot |> Set.filter generated
    let actual = relativeFiles actualRoot
    [ for f in Set.difference expected actual -> $"{f}: no longer generated (stale file)"
      for f in Set.difference actual expected -> $"{f}: generated but not committed"
      for f in Set.intersect expected actual do
          if File.ReadAllText(Path.Combine(expectedRoot, f)) <> File.ReadAllText(Path.Combine(actualRoot, f)) then
              yield $"{f}: differs from what the spec generates (hand-edited, or the spec changed)" ]

let run (argv: string list) (out: TextWriter) (error: TextWriter) : int =
    let fail (message: string) = error.WriteLine($"conformance: {message}"); 2
    match argv with
    | [ "spec-driver" ] ->
        SpecDriver.serve Console.In out
        0
    | "generate" :: rest ->
        match parseOptions rest with
        | Error m -> fail m
        | Ok options ->
            let root = single options "--out" (Path.Combine(repositoryRoot (), "vectors"))
            let written = VectorFiles.generate root (Path.Combine(repositoryRoot (), "Conformance", "regressions"))
            out.WriteLine($"wrote {written} vector files under {root}")
            0
    | "check" :: rest ->
        match parseOptions rest with
        | Error m -> fail m
        | Ok options ->
            let root = single options "--vectors" (Path.Combine(repositoryRoot (), "vectors"))
            let scratch = Directory.CreateTempSubdirectory("vectors-check-").FullName
            try
                let written = VectorFiles.generate scratch (Path.Combine(repositoryRoot (), "Conformance", "regressions"))
                match differences root scratch with
                | [] ->
                    out.WriteLine($"vectors: {written} files, regeneration leaves no difference")
                    out.WriteLine("vectors: 1 passed, 0 failed")
                    0
                | problems ->
                    problems |> List.truncate 20 |> List.iter (fun p -> out.WriteLine($"  {p}"))
                    out.WriteLine($"vectors: {problems.Length} files differ; run 'conformance generate' and commit, never edit vectors by hand")
                    out.WriteLine("vectors: 0 passed, 1 failed")
                    1
            finally
                Directory.Delete(scratch, true)
    | "run" :: rest ->
        match parseOptions rest with
        | Error m -> fail m
        | Ok options ->
            let driver = single options "--driver" ""
            let exclusions =
                match options |> List.tryFind (fun (n, _) -> n = "--exclusions") with
                | None -> Ok []
                | Some(_, path) -> Runner.readExclusions path
            match driver, exclusions, Int32.TryParse(single options "--timeout-ms" "60000") with
            | "", _, _ -> fail "run needs --driver \"COMMAND\""
            | _, Error m, _ -> fail m
            | _, _, (false, _) -> fail "--timeout-ms takes a whole number of milliseconds"
            | _, _, (true, ms) when ms <= 0 -> fail "--timeout-ms must be positive"
            | _, Ok exclusions, (true, ms) ->
                let vectors = single options "--vectors" (Path.Combine(repositoryRoot (), "vectors"))
                if not (Directory.Exists vectors) then fail $"no vectors folder at {vectors}"
                else
                    Runner.run
                        { Vectors = vectors; Driver = driver; Exclusions = exclusions; Timeout = TimeSpan.FromMilliseconds(float ms)
                          Filters = options |> List.filter (fun (n, _) -> n = "--filter") |> List.map snd
                          Report = options |> List.tryFind (fun (n, _) -> n = "--report") |> Option.map snd }
                        out
    | [] | [ "help" ] | [ "--help" ] -> out.Write usage; 0
    | command :: _ -> fail $"unknown command '{command}'\n{usage}"

[<EntryPoint>]
let main argv = run (List.ofArray argv) Console.Out Console.Error
