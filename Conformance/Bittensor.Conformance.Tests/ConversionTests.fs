module Bittensor.Conformance.Tests.ConversionTests

open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed
open Bittensor.Conformance.Tests.FixedTests

[<Tests>]
let tests =
    testList "u16 conversions" [
        test "u16 weights [43690, 21845] store as [65535, 32768]" {
            Expect.equal (Conversions.vecU16MaxUpscaleToU16 [| 43690us; 21845us |]) [| 65535us; 32768us |] "max upscale"
        }
        test "max upscale of zeros and of nothing" {
            Expect.equal (Conversions.vecU16MaxUpscaleToU16 [| 0us; 0us |]) [| 0us; 0us |] "all zero"
            Expect.equal (Conversions.vecU16MaxUpscaleToU16 [||]) [||] "empty"
        }
        test "max upscale above 32768 divides first, at or below multiplies first" {
            // m = 32769 > 32768: e · (65535 / m), quotient truncated first
            let above = Conversions.vecMaxUpscaleToU16 [| Fixed.ofInteger 32769I; Fixed.ofInteger 16384I |]
            Expect.equal above [| 65535us; 32767us |] "quotient first"
            // m = 0.5 (a proportion): (e · 65535) / m
            let below = Conversions.vecMaxUpscaleToU16 [| Fixed.ofF64Bits (f64 0.5); Fixed.ofF64Bits (f64 0.25) |]
            Expect.equal below [| 65535us; 32768us |] "32767.5 rounds away from zero to 32768"
        }
        test "proportions" {
            Expect.equal (Conversions.u16ProportionToFixed 65535us) I32F32.One "65535 is exactly one"
            Expect.equal (Conversions.u16ProportionToFixed 32767us).Bits 2147450879L "default kappa: 32767·2^32/65535 = 2147450879.99…, truncated"
            Expect.equal (Conversions.fixedProportionToU16 (Fixed.ofF64Bits (f64 0.5))) 32767us "⌊0.5 · 65535⌋"
            Expect.equal (Conversions.fixedProportionToU16 (Fixed.ofInteger 2I)) 65535us "clamps above"
            Expect.equal (Conversions.fixedProportionToU16 (Fixed.ofF64Bits (f64 -0.1))) 0us "clamps below"
        }
        test "a bonds moving average of 975000 gives EMA alpha bits 107374183; 900000 gives f64 0.1" {
            Expect.equal (Conversions.emaAlphaOfBondsMovingAverage 975000UL).Bits 107374183L "0.975 floored first"
            Expect.equal (Conversions.emaAlphaOfBondsMovingAverage 900000UL) (Fixed.ofF64Bits (f64 0.1)) "0.1"
            Expect.equal (Conversions.emaAlphaOfBondsMovingAverage 0UL) I32F32.One "no memory"
        }
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 1000 } "a u16 proportion survives the round trip to within one unit"
            (Prop.forAll (Arb.fromGen (Gen.choose (0, 65535))) (fun x ->
                let back = Conversions.fixedProportionToU16 (Conversions.u16ProportionToFixed (uint16 x))
                int back = x || int back = x - 1))
        testPropertyWithConfig { FsCheckConfig.defaultConfig with maxTest = 1000 } "max upscale puts the largest weight at 65535 and keeps order"
            (Prop.forAll (Arb.fromGen (Gen.arrayOf (Gen.choose (0, 65535)) |> Gen.filter (fun a -> a.Length > 0 && Array.max a > 0))) (fun weights ->
                let stored = Conversions.vecU16MaxUpscaleToU16 (weights |> Array.map uint16)
                let largest = Array.max weights
                Array.forall2 (fun w s -> (w = largest) = (s = 65535us) || (s = 65535us && w * 65535 >= largest * 65534)) weights stored
                && Seq.forall (fun (i, j) -> weights[i] > weights[j] |> not || stored[i] >= stored[j])
                    (Seq.allPairs [ 0 .. weights.Length - 1 ] [ 0 .. weights.Length - 1 ])))
    ]
