/// <summary>The conformance runner: feeds every vector to a driver program over a line protocol and compares its
/// answers in full. The protocol and the report are described in <c>docs/conformance.md</c>.</summary>
module Bittensor.Conformance.Runner

open System
open System.Diagnostics
open System.IO
open System.Text
open System.Text.Json
open System.Text.Json.Nodes
open Bittensor.Conformance.Codec

/// <summary>A driver process started from a shell command. It is (re)started on demand, so that one crash costs one
/// case, not the run.</summary>
type Driver(command: string) =
    let mutable proc: Process = null
    let stderrTail = StringBuilder()
    let start () =
        let info = ProcessStartInfo("/bin/sh", [| "-c"; command |])
        info.RedirectStandardInput <- true
        info.RedirectStandardOutput <- true
        info.RedirectStandardError <- true
        info.UseShellExecute <- false
        info.StandardOutputEncoding <- UTF8Encoding(false)
        info.StandardInputEncoding <- UTF8Encoding(false)
        let p = new Process(StartInfo = info)
        p.ErrorDataReceived.Add(fun e ->
            if not (isNull e.Data) then
                lock stderrTail (fun () ->
                    stderrTail.AppendLine(e.Data) |> ignore
                    if stderrTail.Length > 2000 then stderrTail.Remove(0, stderrTail.Length - 2000) |> ignore))
        p.Start() |> ignore
        p.BeginErrorReadLine()
        proc <- p
    let stderrSummary () = lock stderrTail (fun () -> let s = stderrTail.ToString().Trim() in if s = "" then "" else $"; its stderr ends: {s.Split('\n') |> Array.last}")
    let discard () =
        if not (isNull proc) then
            (try if not proc.HasExited then proc.Kill true with _ -> ())
            proc.Dispose()
            proc <- null

    /// <summary>Sends one request line and waits for one answer line.</summary>
    member _.Ask(line: string, timeout: TimeSpan) : Result<string, string> =
        if isNull proc || proc.HasExited then
            discard ()
            start ()
        try
            proc.StandardInput.WriteLine line
            proc.StandardInput.Flush()
            let reading = proc.StandardOutput.ReadLineAsync()
            if reading.Wait timeout then
                match reading.Result with
                | null ->
                    // the parameterless WaitForExit also waits for the stderr handler to drain
                    if proc.WaitForExit 1000 then proc.WaitForExit()
                    let code = if proc.HasExited then string proc.ExitCode else "unknown"
                    discard ()
                    Error $"the driver exited (code {code}) without answering{stderrSummary ()}"
                | answer -> Ok answer
            else
                discard ()
                Error $"the driver did not answer within {int timeout.TotalMilliseconds} ms (stopped and restarted)"
        with :? IOException as e ->
            discard ()
            Error $"the driver's pipe closed ({e.Message}){stderrSummary ()}"

    interface IDisposable with
        member _.Dispose() =
            if not (isNull proc) then (try proc.StandardInput.Close() with _ -> ())
            discard ()

/// How one vector fared.
type Outcome =
    | Passed
    | Mismatch of path: string * expected: string * actual: string
    | Failure of message: string
    | Unsupported
    | Excluded of reason: string

/// An exclusion: every vector whose relative path starts with Prefix is skipped, for the stated reason.
type Exclusion = { Prefix: string; Reason: string }

/// <summary>Reads an exclusions file: <c>{"exclusions": [{"path": "math/exp/", "reason": "…"}]}</c>. Every entry needs
/// a non-empty reason.</summary>
let readExclusions (path: string) : Result<Exclusion list, string> =
    try
        let node = JsonNode.Parse(File.ReadAllText path)
        readArray "exclusions" (fun p item ->
            let reason = readString $"{p}.reason" (field p "reason" item)
            if String.IsNullOrWhiteSpace reason then malformed $"{p}.reason" "a reason that says why"
            { Prefix = readString $"{p}.path" (field p "path" item); Reason = reason }) (field "file" "exclusions" node)
        |> List.ofArray |> Ok
    with
    | :? JsonException as e -> Error $"{path}: not valid JSON ({e.Message})"
    | MalformedException m -> Error $"{path}: {m}"
    | :? IOException as e -> Error $"{path}: cannot be read ({e.Message})"

/// The request sent for one vector: one line of JSON.
let request (vector: VectorFiles.Vector) =
    obj [ "id", text vector.Path; "runner", text vector.Runner; "handler", text vector.Handler
          "input", JsonNode.Parse(vector.Input.ToJsonString()) ]
    |> CanonicalJson.writeLine

/// <summary>Judges one answer line: it must be JSON with the request's id and either "output" (compared in full),
/// "unsupported": true, or "error" (a failure naming the driver's message).</summary>
let judge (vector: VectorFiles.Vector) (answer: string) : Outcome =
    let shown = if answer.Length > 200 then answer.Substring(0, 197) + "..." else answer
    try
        match JsonNode.Parse answer with
        | :? JsonObject as o ->
            let id = if o.ContainsKey "id" then readString "answer.id" o["id"] else ""
            if id <> vector.Path then Failure $"the driver answered for id \"{id}\", not \"{vector.Path}\""
            elif o.ContainsKey "unsupported" && readBool "answer.unsupported" o["unsupported"] then Unsupported
            elif o.ContainsKey "error" then
                let reported = o["error"].ToJsonString()
                Failure $"the driver reported an error: {reported}"
            elif o.ContainsKey "output" then
                match CanonicalJson.firstDifference "" vector.Expected o["output"] with
                | None -> Passed
                | Some(path, expected, actual) -> Mismatch((if path = "" then "(whole output)" else path), expected, actual)
            else Failure $"the answer has none of \"output\", \"error\", \"unsupported\": {shown}"
        | _ -> Failure $"the answer is not a JSON object: {shown}"
    with
    | :? JsonException -> Failure $"the driver printed something that is not JSON: {shown}"
    | MalformedException m -> Failure $"malformed answer: {m}"

/// Options of a run.
type Options = { Vectors: string; Driver: string; Filters: string list; Exclusions: Exclusion list; Timeout: TimeSpan; Report: string option }

/// <summary>Runs every selected vector through the driver, prints per-handler results and each handler's first
/// mismatch, writes the report if asked, and returns the process exit code: 0 when every selected vector passed or was
/// excluded, 1 otherwise.</summary>
let run (options: Options) (out: TextWriter) : int =
    let files = VectorFiles.list options.Vectors
    let slash (p: string) = p.Replace(Path.DirectorySeparatorChar, '/')
    let selected =
        files |> Array.filter (fun f ->
            let relative = slash (Path.GetRelativePath(options.Vectors, f))
            options.Filters.IsEmpty || options.Filters |> List.exists (fun filter -> relative.Contains filter))
    use driver = new Driver(options.Driver)
    let results =
        selected |> Array.map (fun file ->
            let relative = slash (Path.GetRelativePath(options.Vectors, file))
            let outcome =
                match options.Exclusions |> List.tryFind (fun e -> relative.StartsWith e.Prefix) with
                | Some exclusion -> Excluded exclusion.Reason
                | None ->
                    match VectorFiles.read options.Vectors file with
                    | Error message -> Failure $"malformed vector: {message}"
                    | Ok vector ->
                        match driver.Ask(request { vector with Path = relative }, options.Timeout) with
                        | Error message -> Failure message
                        | Ok answer -> judge { vector with Path = relative } answer
            relative, outcome)
    let groupOf (relative: string) = relative.Split('/') |> Array.truncate 2 |> String.concat "/"
    let count predicate (items: (string * Outcome)[]) = items |> Array.filter (snd >> predicate) |> Array.length
    let isPassed = function Passed -> true | _ -> false
    let isFailed = function Mismatch _ | Failure _ | Unsupported -> true | _ -> false
    let isExcluded = function Excluded _ -> true | _ -> false
    for group, items in results |> Array.groupBy (fst >> groupOf) do
        let failed = count isFailed items
        out.WriteLine($"{group}: {count isPassed items} passed, {failed} failed, {count isExcluded items} excluded")
        match items |> Array.tryFind (snd >> isFailed) with
        | Some(path, Mismatch(at, expected, actual)) ->
            out.WriteLine($"  first mismatch: {path} at {at}")
            out.WriteLine($"    expected: {expected}")
            out.WriteLine($"    driver:   {actual}")
        | Some(path, Failure message) -> out.WriteLine($"  first failure: {path}: {message}")
        | Some(path, Unsupported) -> out.WriteLine($"  {path}: the driver does not support it and no exclusion lists it")
        | _ -> ()
    let passed, failed, excluded = count isPassed results, count isFailed results, count isExcluded results
    options.Report |> Option.iter (fun reportPath ->
        let describe = function
            | Passed -> obj [ "status", text "passed" ]
            | Mismatch(at, e, a) -> obj [ "status", text "mismatch"; "at", text at; "expected", text e; "actual", text a ]
            | Failure m -> obj [ "status", text "failure"; "message", text m ]
            | Unsupported -> obj [ "status", text "unsupported" ]
            | Excluded r -> obj [ "status", text "excluded"; "reason", text r ]
        let report =
            obj [ "summary", obj [ "passed", num passed; "failed", num failed; "excluded", num excluded
                                   "selected", num selected.Length; "files", num files.Length ]
                  "cases", obj (results |> Array.map (fun (p, o) -> p, describe o) |> List.ofArray) ]
        File.WriteAllText(reportPath, CanonicalJson.write report))
    out.WriteLine($"{selected.Length} of {files.Length} vector files selected; each was run or excluded with a reason")
    out.WriteLine($"conformance: {passed} passed, {failed} failed, {excluded} skipped")
    if failed = 0 then 0 else 1
