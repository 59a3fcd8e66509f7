module Bittensor.Conformance.Tests.WhitepaperTests

open System.Globalization
open Expecto
open MathNet.Numerics.LinearAlgebra
open Bittensor.Spec.Analysis

let private matrix (rows: float list list) : Matrix<float> = Matrix.Build.DenseOfRows(rows |> List.map Seq.ofList)
let private vector (values: float list) : Vector<float> = Vector.Build.DenseOfEnumerable values

[<Tests>]
let tests =
    testList "whitepaper model" [
        test "the cabal simulation reproduces the paper's printed rows exactly" {
            let rows = Whitepaper.cabalSimulation 0.51 0.49 0.1 10.0 100
            let printed = [ "0.4877323388820201"; "0.4849535784321247"; "0.4815511535094221"; "0.477389901500398"; "0.4723093486843246" ]
            Expect.equal (rows |> Array.take 5 |> Array.map (fun (_, share) -> share.ToString("R", CultureInfo.InvariantCulture)) |> List.ofArray) printed "the paper's table"
            // the notes' recomputed continuation: below 10 % within about 30 blocks, 0.000121 at block 99
            Expect.isLessThan (snd rows[29]) 0.1 "block 29"
            Expect.floatClose Accuracy.low (snd rows[99]) 0.000121 "block 99"
        }
        test "ranking, trust, consensus and incentive on a three-peer example" {
            // peer 0 (stake 0.6) weights peer 2; peer 1 (stake 0.4) weights peer 1 itself
            let w = matrix [ [ 0.0; 0.0; 1.0 ]; [ 0.0; 1.0; 0.0 ]; [ 0.0; 0.0; 0.0 ] ]
            let s = vector [ 0.6; 0.4; 0.0 ]
            Expect.equal (Whitepaper.ranking w s) (vector [ 0.0; 0.4; 0.6 ]) "R = Wᵀ S"
            let c = Whitepaper.consensus 10.0 0.5 w s
            // trusted by 0.6 of stake: σ(10·0.1) ≈ 0.731; by 0.4: σ(−1) ≈ 0.269
            Expect.floatClose Accuracy.high c[2] (1.0 / (1.0 + exp -1.0)) "majority-trusted peer"
            Expect.floatClose Accuracy.high c[1] (1.0 / (1.0 + exp 1.0)) "minority-trusted peer"
            let i = Whitepaper.incentive 10.0 0.5 w s
            Expect.isGreaterThan i[2] i[1] "the majority's choice earns more than the self-voter"
        }
        test "the honest graph (a validator and the peer it ranks) gains on a self-voting minority" {
            let w = matrix [ [ 0.0; 0.0; 1.0 ]; [ 0.0; 1.0; 0.0 ]; [ 0.0; 0.0; 0.0 ] ]
            let start: Whitepaper.State = { Stake = vector [ 0.6; 0.4; 0.0 ]; Bonds = Matrix.Build.Dense(3, 3) }
            let after = Seq.fold (fun st _ -> Whitepaper.step 10.0 0.5 0.1 w st) start (Seq.replicate 20 ())
            let share (st: Whitepaper.State) i = st.Stake[i] / st.Stake.Sum()
            Expect.isGreaterThan (share after 0 + share after 2) (share start 0 + share start 2) "the honest graph grows"
            Expect.isLessThan (share after 1) (share start 1) "the self-voting minority's share shrinks"
            Expect.isGreaterThan (after.Stake[0]) (start.Stake[0]) "the honest validator is paid through its bonds"
        }
    ]
