/// <summary>The driver over Spec/: answers each request line with the spec's output for it.</summary>
module Bittensor.Conformance.Cli.SpecDriver

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open Bittensor.Conformance
open Bittensor.Conformance.Codec

/// <summary>Answers one request line. Unknown runners or handlers are "unsupported"; a malformed request is an
/// "error" that says what was wrong.</summary>
let answer (line: string) : string =
    let reply (id: string) (fields: (string * JsonNode) list) = CanonicalJson.writeLine (obj (("id", text id) :: fields))
    try
        let request = JsonNode.Parse line
        let id = readString "request.id" (field "request" "id" request)
        try
            let runner = readString "request.runner" (field "request" "runner" request)
            let handler = readString "request.handler" (field "request" "handler" request)
            match Handlers.runners |> Map.tryFind runner |> Option.bind (Map.tryFind handler) with
            | Some compute -> reply id [ "output", compute (field "request" "input" request) ]
            | None -> reply id [ "unsupported", flag true ]
        with MalformedException message -> reply id [ "error", text message ]
    with
    | :? JsonException as e -> reply "" [ "error", text $"the request is not JSON: {e.Message}" ]
    | MalformedException message -> reply "" [ "error", text message ]

/// Reads requests from stdin until it closes, one answer line each.
let serve (input: TextReader) (output: TextWriter) =
    let mutable line = input.ReadLine()
    while not (isNull line) do
        if line.Trim() <> "" then
            output.WriteLine(answer line)
            output.Flush()
        line <- input.ReadLine()
