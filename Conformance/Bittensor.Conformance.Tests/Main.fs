module Bittensor.Conformance.Tests.Main

open Expecto

/// Runs every test in the assembly and ends with the plain line CI sums: `expecto: N passed, N failed, N skipped`.
[<EntryPoint>]
let main argv =
    let mutable summary: Impl.TestRunSummary option = None
    let rc =
        runTestsInAssemblyWithCLIArgs
            [ CLIArguments.Append_Summary_Handler(SummaryHandler(fun s -> summary <- Some s))
              CLIArguments.No_Spinner
              CLIArguments.Colours 0 ]
            argv
    match summary with
    | Some s ->
        use out = new System.IO.StreamWriter(System.Console.OpenStandardOutput())
        out.Write(sprintf "\nexpecto: %d passed, %d failed, %d skipped\n" s.passed.Length (s.failed.Length + s.errored.Length) s.ignored.Length)
    | None -> ()
    rc
