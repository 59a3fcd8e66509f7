module Bittensor.Conformance.Tests.RunnerTests

open System
open System.IO
open Expecto
open Bittensor.Conformance

/// A folder holding one valid normalize vector and, optionally, one malformed file; removed when disposed.
type private Scratch() =
    let root = Directory.CreateTempSubdirectory("runner-test-").FullName
    let write (relative: string) (content: string) =
        let path = Path.Combine(root, relative)
        Directory.CreateDirectory(Path.Combine(root, Path.GetDirectoryName relative |> string)) |> ignore
        File.WriteAllText(path, content)
    do
        let case: Cases.Case =
            { Runner = "math"; Handler = "normalize"; Suite = "hand_made"; Name = "two"; Description = "test"; Seed = None
              Input = Codec.obj [ "x", Codec.fixedVector [| Bittensor.Spec.Fixed.I32F32.One; Bittensor.Spec.Fixed.I32F32.One |] ] }
        write (VectorFiles.relativePath case) (VectorFiles.render case (Handlers.math["normalize"] case.Input))
    member _.Root = root
    member _.Write relative content = write relative content
    interface IDisposable with
        member _.Dispose() = Directory.Delete(root, true)

let private runWith (scratch: Scratch) (driver: string) (exclusions: Runner.Exclusion list) (timeoutMs: int) =
    let out = new StringWriter()
    let code =
        Runner.run { Vectors = scratch.Root; Driver = driver; Filters = []; Exclusions = exclusions; Timeout = TimeSpan.FromMilliseconds(float timeoutMs); Report = None } out
    code, out.ToString()


/// A driver (a shell loop) that answers every request with the given line.
let private answering (line: string) = $"while read request; do printf '%%s\\n' '{line}'; done"

let private id = "math/normalize/hand_made/two.json"

[<Tests>]
let tests =
    testList "conformance runner" [
        test "a correct answer passes and the run exits 0" {
            use scratch = new Scratch()
            let output = """{"id":"math/normalize/hand_made/two.json","output":{"result":{"bits":["2147483648","2147483648"],"type":"I32F32"}}}"""
            let code, text = runWith scratch (answering output) [] 5000
            Expect.equal code 0 text
            Expect.stringContains text "conformance: 1 passed, 0 failed, 0 skipped" "summary"
        }
        test "a wrong answer fails with a labelled structural diff" {
            use scratch = new Scratch()
            let output = """{"id":"math/normalize/hand_made/two.json","output":{"result":{"bits":["2147483648","2147483647"],"type":"I32F32"}}}"""
            let code, text = runWith scratch (answering output) [] 5000
            Expect.equal code 1 "non-zero exit"
            Expect.stringContains text "first mismatch: math/normalize/hand_made/two.json at .result.bits[1]" "where"
            Expect.stringContains text "expected: \"2147483648\"" "expected side"
            Expect.stringContains text "driver:   \"2147483647\"" "driver side"
        }
        test "garbage output is named as such" {
            use scratch = new Scratch()
            let code, text = runWith scratch (answering "hello there") [] 5000
            Expect.equal code 1 "fails"
            Expect.stringContains text "printed something that is not JSON: hello there" "names the garbage"
        }
        test "a crashing driver is reported with its exit code and the run goes on" {
            use scratch = new Scratch()
            scratch.Write "math/normalize/hand_made/three.json" (File.ReadAllText(Path.Combine(scratch.Root, id)).Replace("\"two\"", "\"three\""))
            let code, text = runWith scratch "read request; echo boom >&2; exit 3" [] 5000
            Expect.equal code 1 "fails"
            Expect.stringContains text "exited (code 3)" "exit code"
            Expect.stringContains text "boom" "its stderr"
            Expect.stringContains text "conformance: 0 passed, 2 failed" "both cases were tried"
        }
        test "a hanging driver times out per case" {
            use scratch = new Scratch()
            let code, text = runWith scratch "read request; sleep 30" [] 300
            Expect.equal code 1 "fails"
            Expect.stringContains text "did not answer within 300 ms" "timeout named"
        }
        test "an unsupported answer fails unless an exclusion with a reason lists the vector" {
            use scratch = new Scratch()
            let unsupported = answering """{"id":"math/normalize/hand_made/two.json","unsupported":true}"""
            let code, text = runWith scratch unsupported [] 5000
            Expect.equal code 1 "unsupported and not excluded"
            Expect.stringContains text "does not support it and no exclusion lists it" "says why"
            let code, text = runWith scratch unsupported [ { Prefix = "math/normalize/"; Reason = "not yet" } ] 5000
            Expect.equal code 0 text
            Expect.stringContains text "0 passed, 0 failed, 1 skipped" "counted as excluded"
        }
        test "a malformed vector is named and the others still run" {
            use scratch = new Scratch()
            scratch.Write "math/normalize/hand_made/broken.json" "{ \"runner\": \"math\", "
            scratch.Write "math/normalize/hand_made/misplaced.json" (File.ReadAllText(Path.Combine(scratch.Root, id)))
            let output = """{"id":"math/normalize/hand_made/two.json","output":{"result":{"bits":["2147483648","2147483648"],"type":"I32F32"}}}"""
            let code, text = runWith scratch (answering output) [] 5000
            Expect.equal code 1 "fails"
            Expect.stringContains text "broken.json: not valid JSON" "names the broken file"
            Expect.stringContains text "1 passed, 2 failed" "the good one still ran"
            let misplaced = VectorFiles.read scratch.Root (Path.Combine(scratch.Root, "math/normalize/hand_made/misplaced.json"))
            Expect.equal misplaced (Error "math/normalize/hand_made/misplaced.json: its runner/handler/suite/case say it belongs at math/normalize/hand_made/two.json") "names the misplaced file"
        }
        test "an exclusion without a reason is refused" {
            let path = Path.GetTempFileName()
            File.WriteAllText(path, """{"exclusions": [{"path": "math/", "reason": " "}]}""")
            let result = Runner.readExclusions path
            File.Delete path
            Expect.isError result "no reason"
            Expect.stringContains (match result with Error m -> m | Ok _ -> "") "a reason that says why" "message"
        }
        test "every handler the spec driver serves has at least one committed vector" {
            let repository = VectorFiles.repositoryRootFrom AppContext.BaseDirectory
            Expect.isOk repository "the test binaries sit inside the checkout"
            let root = Path.Combine(Result.defaultValue "" repository, "vectors")
            Expect.isTrue (Directory.Exists(Path.Combine(root, "epoch"))) $"the committed vectors are at {root}"
            let missing =
                [ for KeyValue(runner, handlers) in Handlers.runners do
                    for handler in handlers.Keys do
                        if not (Directory.Exists(Path.Combine(root, runner, handler))) then yield $"{runner}/{handler}" ]
            Expect.isEmpty missing "handlers without vectors"
        }
    ]
