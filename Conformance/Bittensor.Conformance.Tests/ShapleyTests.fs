module Bittensor.Conformance.Tests.ShapleyTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Analysis

/// A random game on 1–6 players: v(∅) = 0 and v(S) uniform in [−1, 1] for every other coalition.
let private game =
    gen {
        let! n = Gen.choose (1, 6)
        let! values = Gen.arrayOfLength (1 <<< n) (Gen.choose (-1000, 1000) |> Gen.map (fun v -> float v / 1000.0))
        values[0] <- 0.0
        return n, values
    }

let private close (a: float) (b: float) = abs (a - b) <= 1e-9
let private config = { FsCheckConfig.defaultConfig with maxTest = 300 }

[<Tests>]
let tests =
    testList "Shapley values" [
        test "a two-player example by hand" {
            // v({0}) = 1, v({1}) = 3, v({0,1}) = 6: φ_0 = ½(1 − 0) + ½(6 − 3) = 2, φ_1 = ½(3) + ½(6 − 1) = 4
            let v = [| 0.0; 1.0; 3.0; 6.0 |]
            Expect.equal (Shapley.exact 2 (Array.get v)) [| 2.0; 4.0 |] "φ"
        }
        testPropertyWithConfig config "efficiency: the values sum to v(N) − v(∅)" (Prop.forAll (Arb.fromGen game) (fun (n, v) ->
            close (Array.sum (Shapley.exact n (Array.get v))) (v[(1 <<< n) - 1] - v[0])))
        testPropertyWithConfig config "symmetry: players the game cannot tell apart get the same value" (Prop.forAll (Arb.fromGen game) (fun (n, v) ->
            n < 2
            || (let swap c = let b0, b1 = (c >>> 0) &&& 1, (c >>> 1) &&& 1 in (c &&& ~~~3) ||| (b0 <<< 1) ||| b1
                // symmetrise players 0 and 1: w(S) = v(S) + v(swap S)
                let w = Array.init v.Length (fun c -> v[c] + v[swap c])
                let phi = Shapley.exact n (Array.get w)
                close phi[0] phi[1])))
        testPropertyWithConfig config "null player: a player who adds nothing gets nothing" (Prop.forAll (Arb.fromGen game) (fun (n, v) ->
            // make the last player null: w(S) = v(S without that player)
            let last = 1 <<< (n - 1)
            let w = Array.init v.Length (fun c -> v[c &&& ~~~last])
            let phi = Shapley.exact n (Array.get w)
            close phi[n - 1] 0.0))
        testPropertyWithConfig config "additivity: φ(v + w) = φ(v) + φ(w)" (Prop.forAll (Arb.fromGen (Gen.zip game game)) (fun ((n, v), (_, w0)) ->
            let w = Array.init v.Length (fun c -> if c < w0.Length then w0[c] else 0.0)
            let sum = Shapley.exact n (fun c -> v[c] + w[c])
            Array.forall2 close sum (Array.map2 (+) (Shapley.exact n (Array.get v)) (Shapley.exact n (Array.get w)))))
        testPropertyWithConfig { config with maxTest = 50 } "the sampling estimate is within its Hoeffding bound of the exact value"
            (Prop.forAll (Arb.fromGen (Gen.zip game (Gen.choose (0, Int32.MaxValue)))) (fun ((n, v), seed) ->
                let exact = Shapley.exact n (Array.get v)
                // every marginal contribution v(S ∪ i) − v(S) lies in [−2, 2]
                let estimate = Shapley.sample n (Array.get v) 4000 4.0 1e-9 (Random seed)
                Array.forall2 (fun (e: Shapley.Estimate) x -> abs (e.Mean - x) <= e.Bound) estimate exact))
        test "the bound shrinks as 1/sqrt(m)" {
            let v = [| 0.0; 1.0; 3.0; 6.0 |]
            let few = Shapley.sample 2 (Array.get v) 100 4.0 0.05 (Random 1)
            let many = Shapley.sample 2 (Array.get v) 10000 4.0 0.05 (Random 1)
            Expect.floatClose Accuracy.high (few[0].Bound / many[0].Bound) 10.0 "100× the samples, a tenth of the bound"
        }
        test "bad arguments are refused by name" {
            Expect.throwsT<ArgumentException> (fun () -> Shapley.exact 25 (fun _ -> 0.0) |> ignore) "too many players for exact"
            Expect.throwsT<ArgumentException> (fun () -> Shapley.sample 2 (fun _ -> 0.0) 0 1.0 0.1 (Random 1) |> ignore) "no permutations"
        }
    ]
