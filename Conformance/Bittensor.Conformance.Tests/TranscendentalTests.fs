module Bittensor.Conformance.Tests.TranscendentalTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed
open Bittensor.Conformance.Tests.FixedTests

let private ofF64 (x: float) = Fixed.ofF64Bits<I32F32> (f64 x)
let private ofF32 (x: float32) = Fixed.ofF32Bits<I32F32> (f32 x)
let private toDouble (x: I32F32) = float x.Bits / 4294967296.0

[<Tests>]
let tests =
    testList "transcendental" [
        test "the crate's e has only 23 fraction bits" {
            // 0xADF85458 >> 7 = 22802600 (the top 25 bits of the 128-bit constant), widened by 9 bits.
            Expect.equal Transcendental.e.Bits (22802600L <<< 9) "E as I9F23 widened to I32F32"
            Expect.equal (Transcendental.exp I32F32.One) (Some Transcendental.e) "exp(1) is the constant, not the series"
        }
        test "exp(0) is exactly one" { Expect.equal (Transcendental.exp I32F32.Zero) (Some I32F32.One) "exp(0)" }
        test "exp(2) and exp(-1) follow the truncated series" {
            // Pinned by an independent integer port of the crate's series (see docs/fixed-point.md).
            Expect.equal (Transcendental.exp (Fixed.ofInteger 2I) |> Option.map (fun v -> v.Bits)) (Some 31735754285L) "exp(2)"
            let series1 = Transcendental.exp (Fixed.ofInteger -1I) |> Option.get
            Expect.notEqual series1 (Fixed.div I32F32.One Transcendental.e) "exp(-1) inverts the series of 1, not the constant e"
        }
        test "exp_safe clamps to [-20, 20] (the chain's test_math_exp_safe)" {
            let twenty = Fixed.ofInteger<I32F32> 20I
            let minusTwenty = Fixed.ofInteger<I32F32> -20I
            let atMax = Transcendental.exp twenty |> Option.get
            let atMin = Transcendental.exp minusTwenty |> Option.get
            Expect.equal (Transcendental.expSafe (twenty + I32F32.One)) atMax "21 clamps to 20"
            Expect.equal (Transcendental.expSafe I32F32.MaxValue) atMax "MAX clamps to 20"
            Expect.equal (Transcendental.expSafe (minusTwenty - I32F32.One)) atMin "-21 clamps to -20"
            Expect.equal (Transcendental.expSafe I32F32.MinValue) atMin "MIN clamps to -20"
        }
        test "safe_exp is 0 where the series overflows, unlike exp_safe" {
            let thirty = Fixed.ofInteger<I32F32> 30I
            Expect.equal (Transcendental.exp thirty) None "e^30 does not fit I32F32"
            Expect.equal (Transcendental.safeExp thirty) I32F32.Zero "safe_exp"
            Expect.isGreaterThan (Transcendental.expSafe thirty) I32F32.One "exp_safe clamps to 20 instead"
        }
        // The chain's test_math_sigmoid_safe compares for exact equality with from_num of these literals.
        test "sigmoid_safe(x, 30, 0.5) matches the chain's pinned values" {
            let trust = [ I32F32.MinValue; I32F32.Zero; ofF64 0.4; ofF64 0.5; ofF64 0.6; I32F32.One; I32F32.MaxValue ]
            let expected =
                [ 0.0000000019; 0.0000003057; 0.0474258729; 0.5; 0.952574127; 0.9999996943; 0.9999999981 ] |> List.map ofF64
            let actual = trust |> List.map (fun t -> Transcendental.sigmoidSafe t (Fixed.ofInteger 30I) (ofF64 0.5))
            Expect.equal actual expected "bits"
        }
        test "sigmoid_safe(x, 40, 0.5) on f32 inputs matches the chain's pinned values" {
            let trust = [ 0.0f; 0.1f; 0.2f; 0.3f; 0.4f; 0.5f; 0.6f; 0.7f; 0.8f; 0.9f; 1.0f ] |> List.map ofF32
            let expected =
                [ 0.0000000019; 0.0000001125; 0.0000061442; 0.0003353502; 0.017986214; 0.5; 0.9820138067
                  0.9996646498; 0.9999938558; 0.9999998875; 0.9999999981 ]
                |> List.map ofF64
            let actual = trust |> List.map (fun t -> Transcendental.sigmoidSafe t (Fixed.ofInteger 40I) (ofF64 0.5))
            Expect.equal actual expected "bits"
        }
        test "sigmoid_safe with extreme rho and kappa matches the chain's pinned values" {
            let trust = [ I32F32.MinValue; I32F32.Zero; ofF64 0.4; ofF64 0.5; ofF64 0.6; I32F32.One; I32F32.MaxValue ]
            let tiny = ofF32 0.0000000019f
            let maxCase = trust |> List.map (fun t -> Transcendental.sigmoidSafe t I32F32.MaxValue I32F32.MaxValue)
            Expect.equal maxCase [ tiny; tiny; tiny; tiny; tiny; tiny; ofF32 0.5f ] "rho = kappa = MAX"
            let minCase = trust |> List.map (fun t -> Transcendental.sigmoidSafe t I32F32.MinValue I32F32.MinValue)
            Expect.equal minCase [ ofF32 0.5f; tiny; tiny; tiny; tiny; tiny; tiny ] "rho = kappa = MIN"
        }
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 500 } "exp is within 1e-8 relative (or 64 ulps) of e^x for |x| ≤ 4"
            (Prop.forAll (Arb.fromGen (Gen.choose64 (-(4L <<< 32), 4L <<< 32))) (fun bits ->
                let x: I32F32 = { Bits = bits }
                match Transcendental.exp x with
                | None -> false
                | Some y ->
                    let truth = Math.Exp(toDouble x)
                    abs (toDouble y - truth) <= max (64.0 / 4294967296.0) (1e-8 * truth)))
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 500 } "alpha sigmoid stays within [low, high]"
            (Prop.forAll (Arb.fromGen (Gen.zip (Gen.three Generators.proportion) (Gen.zip (Gen.two Generators.proportion) (Gen.choose (-32768, 32767)))))
                (fun ((c, w, b), ((p, q), k)) ->
                    let low, high = min p q, max p q
                    let a = Transcendental.alphaSigmoid c w b low high (Fixed.ofInteger (bigint k))
                    low <= a && a <= high))
        test "alpha sigmoid is the midpoint when the difference is one half" {
            let low, high = ofF64 0.7, ofF64 0.9
            // w − c = 0.5 exactly with w ≥ b: x = 0, exp(0) = 1, sigmoid = 1/2
            let a = Transcendental.alphaSigmoid (ofF64 0.25) (ofF64 0.75) I32F32.Zero low high (Fixed.ofInteger 1000I)
            Expect.equal a (Fixed.saturatingAdd low (Fixed.mul (ofF64 0.5) (high - low))) "lo + (hi − lo)/2"
        }
    ]
