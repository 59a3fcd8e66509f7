module Bittensor.Conformance.Tests.MathTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed
open Bittensor.Spec.Math
open Bittensor.Conformance.Tests.FixedTests

let private ofF32 (x: float32) = Fixed.ofF32Bits<I32F32> (f32 x)
let private fixedVec (xs: float32 list) = xs |> List.map ofF32 |> Array.ofList
let private config = { FsCheckConfig.defaultConfig with maxTest = 500 }

/// Stakes (some zero) and scores for up to 12 voters.
let private votersGen =
    gen {
        let! n = Gen.choose (1, 12)
        let! stakes = Gen.arrayOfLength n (Gen.frequency [ 1, Gen.constant I32F32.Zero; 5, Generators.proportion ])
        // few distinct scores, so that ties are common
        let! scores = Gen.arrayOfLength n (Gen.elements [ 0L; 1L <<< 30; 1L <<< 31; 3L <<< 30; 1L <<< 32 ] |> Gen.map (fun b -> { Bits = b }: I32F32))
        let! kappa = Generators.proportion
        return stakes, scores, kappa
    }

/// The definition the quick-select must agree with: the smallest voter score s with W(score ≤ s) > minority, where
/// W sums normalised stake; the largest score when no such s exists; 0 without voters.
let private kappaQuantile (stakes: I32F32[]) (scores: I32F32[]) (kappa: I32F32) =
    let voters = Array.zip stakes scores |> Array.filter (fun (s, _) -> s > I32F32.Zero)
    if voters.Length = 0 then I32F32.Zero
    else
        let normalized = Vector.normalize (Array.map fst voters)
        let minority = Fixed.saturatingSub (Vector.sum normalized) kappa
        let weighted = Array.zip normalized (Array.map snd voters)
        let below s = weighted |> Array.filter (fun (_, x) -> x <= s) |> Array.map fst |> Vector.sum
        let candidates = weighted |> Array.map snd |> Array.distinct |> Array.sort
        candidates |> Array.tryFind (fun s -> below s > minority) |> Option.defaultValue (Array.last candidates)

let private medianOfOneColumn (stakes: I32F32[]) (scores: I32F32[]) (kappa: I32F32) =
    let column: Sparse.Matrix = scores |> Array.map (fun s -> [| Sparse.entry 0 s |])
    (Sparse.weightedMedianCol stakes column 1 kappa)[0]

[<Tests>]
let tests =
    testList "math helpers" [
        testList "known answers" [
            test "normalize [1, 10, 30] and [-1, 10, 30] (chain test_math_normalize)" {
                let y = Vector.normalize [| Fixed.ofInteger 1I; Fixed.ofInteger 10I; Fixed.ofInteger 30I |]
                Expect.equal (y |> Array.map (fun v -> v.Bits)) [| 104755299L; 1047552999L; 3142658997L |] "each x·2^32/41, truncated"
                let z = Vector.normalize [| Fixed.ofInteger -1I; Fixed.ofInteger 10I; Fixed.ofInteger 30I |]
                Expect.equal z[0].Bits -110127366L "-1/39 truncates toward zero"
            }
            test "a zero sum leaves the vector unchanged" {
                let v = [| Fixed.ofInteger 1I; Fixed.ofInteger -1I |]
                Expect.equal (Vector.normalize v) v "sum 0"
                Expect.equal (Vector.normalize [||]) [||] "empty"
            }
            test "ten equal stakes normalise to 429496729 ulps each (in I64F64, then floored)" {
                let stakes = Array.create 10 (Fixed.ofInteger<I64F64> 1000I)
                let s = Vector.normalize64 stakes |> Conversions.vecFixed64ToFixed32
                Expect.equal (s |> Array.map (fun v -> v.Bits) |> Array.distinct) [| 429496729L |] "1/10 floored"
            }
            test "weighted median examples (kappa = f32 0.51)" {
                let kappa = ofF32 0.51f
                let minority = I32F32.One - kappa
                let median stake score = WeightedMedian.weightedMedian (fixedVec stake) (fixedVec score) [| 0 .. stake.Length - 1 |] minority I32F32.Zero I32F32.One
                Expect.equal (median [ 0.51f; 0.49f ] [ 0.5f; 1.0f ]) (ofF32 0.5f) "two voters"
                Expect.equal (median [ 0.49f; 0.01f; 0.5f ] [ 0.5f; 0.7f; 1.0f ]) (ofF32 0.7f) "three voters"
                Expect.equal (median [ 0.2f; 0.2f; 0.2f; 0.2f; 0.2f ] [ 0.8f; 0.2f; 1.0f; 0.6f; 0.4f ]) (ofF32 0.6f) "five equal"
            }
            test "weighted median of nobody is 0, of one voter is its score" {
                Expect.equal (WeightedMedian.weightedMedian [||] [||] [||] I32F32.Zero I32F32.Zero I32F32.One) I32F32.Zero "nobody"
                Expect.equal (WeightedMedian.weightedMedian [| I32F32.One |] [| ofF32 0.3f |] [| 0 |] I32F32.Zero I32F32.Zero I32F32.One) (ofF32 0.3f) "one"
                Expect.equal (WeightedMedian.weightedMedian [| I32F32.One |] [| ofF32 0.3f; I32F32.One |] [| 0 |] I32F32.Zero I32F32.Zero I32F32.One) I32F32.Zero "length mismatch gives 0"
            }
            test "col_clip_sparse drops entries clipped to a zero consensus and keeps explicit zeros" {
                let m: Sparse.Matrix = [| [| Sparse.entry 0 I32F32.One; Sparse.entry 1 (ofF32 0.5f); Sparse.entry 2 I32F32.Zero |] |]
                let clipped = Sparse.colClip m [| ofF32 0.25f; I32F32.Zero; I32F32.Zero |]
                Expect.equal clipped [| [| Sparse.entry 0 (ofF32 0.25f); Sparse.entry 2 I32F32.Zero |] |] "clip, drop, keep"
            }
            test "mat_ema_alpha_sparse drops an old bond whose column is absent from the new row" {
                let half = ofF32 0.5f
                let newM: Sparse.Matrix = [| [| Sparse.entry 1 I32F32.One |]; [||] |]
                let oldM: Sparse.Matrix = [| [| Sparse.entry 0 I32F32.One; Sparse.entry 1 I32F32.One |]; [||] |]
                let result = Sparse.matEmaAlpha newM oldM [| [| half; half |]; [| half; half |] |]
                Expect.equal result [| [| Sparse.entry 1 I32F32.One |]; [||] |] "column 0 vanishes; column 1 = min(0.5 + 0.5, 1)"
                let plain = Sparse.matEma newM oldM half
                Expect.equal plain [| [| Sparse.entry 0 half; Sparse.entry 1 I32F32.One |]; [||] |] "mat_ema_sparse decays it instead"
            }
            test "is_topk drops the lowest uids first among ties (chain test_math_is_topk)" {
                let v = fixedVec [ 0.0f; 1.0f; 2.0f; 3.0f; 4.0f; 5.0f; 5.0f; 5.0f; 5.0f; 6.0f ]
                Expect.equal (Vector.isTopk v 5) [| false; false; false; false; false; true; true; true; true; true |] "ties"
                Expect.equal (Vector.isTopk v 100) (Array.create 10 true) "k > n"
                Expect.equal (Vector.isTopkNonzero (fixedVec [ 0.0f; 2.0f; 1.0f ]) 5) [| false; true; true |] "k > n, zeros excluded"
            }
            test "mask_vector treats uids beyond a short mask as masked, and an empty mask as no mask" {
                let v = fixedVec [ 1.0f; 2.0f; 3.0f ]
                Expect.equal (Vector.maskVector [| false |] v) (fixedVec [ 1.0f; 0.0f; 0.0f ]) "short mask"
                Expect.equal (Vector.maskVector [||] v) v "empty mask"
            }
            test "interpolate_sparse keeps positive cells in column order; ratio 0 and 1 return an input unchanged" {
                let a: Sparse.Matrix = [| [| Sparse.entry 1 I32F32.One; Sparse.entry 0 I32F32.Zero |] |]
                let b: Sparse.Matrix = [| [| Sparse.entry 0 I32F32.One |] |]
                Expect.equal (Sparse.interpolate a b 2 I32F32.Zero) a "ratio 0: unsorted row and zero kept"
                Expect.equal (Sparse.interpolate a b 2 (ofF32 0.5f)) [| [| Sparse.entry 0 (ofF32 0.5f); Sparse.entry 1 (ofF32 0.5f) |] |] "halfway"
            }
            test "check_vec_max_limited" {
                Expect.isTrue (Vector.checkVecMaxLimited [| 65535us; 65535us; 65535us |] (65535us / 3us)) "each exactly a third"
                Expect.isFalse (Vector.checkVecMaxLimited [| 0us; 65535us |] (65535us / 2us)) "one holds everything"
                Expect.isTrue (Vector.checkVecMaxLimited [||] 0us) "empty passes"
            }
            test "dense and sparse consensus agree on a full matrix" {
                let stake = fixedVec [ 0.4f; 0.3f; 0.3f ]
                let dense = [| fixedVec [ 0.1f; 0.9f ]; fixedVec [ 0.5f; 0.5f ]; fixedVec [ 0.9f; 0.1f ] |]
                let sparse = dense |> Array.map (Array.mapi Sparse.entry)
                let kappa = Conversions.u16ProportionToFixed 32767us
                Expect.equal (Sparse.weightedMedianCol stake sparse 2 kappa) (Dense.weightedMedianCol stake dense kappa) "same median"
            }
        ]
        testList "properties" [
            testPropertyWithConfig config "normalised non-negative values sum to at most 1 and lose under one ulp per entry"
                (Prop.forAll (Arb.fromGen (Gen.arrayOf Generators.proportion)) (fun v ->
                    let y = Vector.normalize v
                    let total = Vector.sum v
                    if total = I32F32.Zero then y = v
                    else
                        let s = Vector.sum y
                        s <= I32F32.One && s.Bits >= (1L <<< 32) - int64 v.Length))
            testPropertyWithConfig config "the weighted median is the kappa-quantile of the voters' stake"
                (Prop.forAll (Arb.fromGen votersGen) (fun (stakes, scores, kappa) ->
                    medianOfOneColumn stakes scores kappa = kappaQuantile stakes scores kappa))
            testPropertyWithConfig config "the weighted median is one of the voters' scores, or 0 without voters"
                (Prop.forAll (Arb.fromGen votersGen) (fun (stakes, scores, kappa) ->
                    let m = medianOfOneColumn stakes scores kappa
                    let voterScores = Array.zip stakes scores |> Array.filter (fun (s, _) -> s > I32F32.Zero) |> Array.map snd
                    if voterScores.Length = 0 then m = I32F32.Zero else Array.contains m voterScores))
            testPropertyWithConfig config "the weighted median does not depend on the order of the voters"
                (Prop.forAll (Arb.fromGen (Gen.zip votersGen (Gen.choose (0, Int32.MaxValue)))) (fun ((stakes, scores, kappa), seed) ->
                    let order = Array.init stakes.Length id |> Array.sortBy (fun i -> (i * 7919 + seed) % 104729)
                    medianOfOneColumn stakes scores kappa = medianOfOneColumn (order |> Array.map (Array.get stakes)) (order |> Array.map (Array.get scores)) kappa))
            testPropertyWithConfig config "consensus moves up only when the stake above it crosses kappa"
                (Prop.forAll (Arb.fromGen votersGen) (fun (stakes, scores, kappa) ->
                    let m = medianOfOneColumn stakes scores kappa
                    let voters = Array.zip stakes scores |> Array.filter (fun (s, _) -> s > I32F32.Zero)
                    let normalized = Vector.normalize (Array.map fst voters)
                    let above = Array.zip normalized (Array.map snd voters) |> Array.filter (fun (_, x) -> x > m) |> Array.map fst |> Vector.sum
                    // the stake strictly above the consensus is never more than kappa (or the consensus would be higher)
                    voters.Length = 0 || above <= max kappa I32F32.Zero || m = Array.max (Array.map snd voters)))
        ]
    ]
