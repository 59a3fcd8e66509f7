module Bittensor.Conformance.Tests.GuaranteesTests

open System.IO
open Expecto
open Bittensor.Spec.Analysis

/// A small network so the spec's epoch runs in milliseconds; the guarantee logic is the same as at 512 uids.
let private small = { Guarantees.documentDefaults with Uids = 64; Validators = 16; WeightSpread = 0.0 }

[<Tests>]
let tests =
    testList "consensus guarantees" [
        test "with all honest utility on honest servers, honesty keeps its stake against every cabal self-weight" {
            for wc in Guarantees.cabalSelfWeights do
                let e = Guarantees.honestEmission small 1.0 wc
                Expect.isGreaterThanOrEqual e small.HonestStake $"W_C = {wc}"
                Expect.isLessThanOrEqual e 1.0 "a share of emission"
        }
        test "a cabal that weights only itself beats an honest side that splits evenly" {
            Expect.isLessThan (Guarantees.honestEmission small 0.5 1.0) small.HonestStake "W_H = 0.5 against W_C = 1"
            Expect.isFalse (Guarantees.retained small 0.5) "not retained"
        }
        test "without weight spread the utility needed is the honest stake itself, to the grid point" {
            // In real numbers E_H = S_H exactly at W_H = S_H when everyone agrees; the epoch's floors may leave it a
            // hair below, so the least retaining grid point is S_H or the one after it.
            for stake in [ 0.55; 0.6; 0.7 ] do
                match Guarantees.honestUtilityNeeded { small with HonestStake = stake } with
                | Some needed ->
                    Expect.isGreaterThanOrEqual needed (stake - 1e-9) $"S_H = {stake}"
                    Expect.isLessThanOrEqual needed (stake + 0.01 + 1e-9) $"S_H = {stake}"
                | None -> failtestf "S_H = %g not retained even at W_H = 1" stake
        }
        test "weight spread never lowers the utility needed" {
            let needed sigma = Guarantees.honestUtilityNeeded { small with WeightSpread = sigma }
            Expect.isLessThanOrEqual (needed 0.0) (needed 0.4) "σ_W = 0 against 0.4"
        }
        test "a kappa above the honest stake gives no protection; below it, honesty can keep its stake" {
            // With κ = 0.6 and S_H < 0.6 the honest validators alone cannot carry a consensus, and a cabal weighting
            // only itself (W_C = 1) gives honest servers nothing: their consensus, and so their incentive, is 0.
            for stake in [ 0.51; 0.55 ] do
                Expect.isNone (Guarantees.honestUtilityNeeded { small with Kappa = 0.6; HonestStake = stake }) $"κ = 0.6, S_H = {stake}"
                Expect.isSome (Guarantees.honestUtilityNeeded { small with Kappa = 0.5; HonestStake = stake }) $"κ = 0.5, S_H = {stake}"
            Expect.isSome (Guarantees.honestUtilityNeeded { small with Kappa = 0.6; HonestStake = 0.7 }) "κ = 0.6, S_H = 0.7"
        }
        test "the kappa map covers every kappa and honest stake once, each cell computed with that pair" {
            let cells = Guarantees.kappaMap { small with WeightSpread = 0.2 }
            Expect.equal (cells |> List.map (fun c -> c.Kappa, c.HonestStake))
                [ for k in [ 0.4; 0.5; 0.6 ] do for s in [ 0.51; 0.55; 0.6; 0.7 ] -> k, s ] "order"
            for c in cells do
                let expected = Guarantees.honestUtilityNeeded { small with WeightSpread = 0.2; Kappa = c.Kappa; HonestStake = c.HonestStake }
                Expect.equal c.Needed expected $"κ = {c.Kappa}, S_H = {c.HonestStake}"
        }
        test "the same seed draws the same graph" {
            let a = Guarantees.honestEmission { small with WeightSpread = 0.3 } 0.7 0.6
            Expect.equal (Guarantees.honestEmission { small with WeightSpread = 0.3 } 0.7 0.6) a "repeatable"
            Expect.notEqual (Guarantees.honestEmission { small with WeightSpread = 0.3; Seed = 2 } 0.7 0.6) a "another seed"
        }
    ]

[<Tests>]
let pngTests =
    testList "png plots" [
        test "CRC-32 of the PNG IEND chunk type is the published constant" {
            Expect.equal (Plot.crc32 "IEND"B) 0xAE426082u "every PNG ends with AE 42 60 82"
        }
        test "an encoded image has the signature, an IHDR with its size, and decompresses to filtered scanlines" {
            let width, height = 3, 2
            let rgb = Array.init (width * height * 3) byte
            let png = Plot.encodePng width height rgb
            Expect.equal png[0..7] [| 137uy; 80uy; 78uy; 71uy; 13uy; 10uy; 26uy; 10uy |] "signature"
            Expect.equal (System.Text.Encoding.ASCII.GetString(png, 12, 4)) "IHDR" "first chunk"
            Expect.equal png[16..23] [| 0uy; 0uy; 0uy; 3uy; 0uy; 0uy; 0uy; 2uy |] "width and height, big-endian"
            let idatLength = int png[33] <<< 24 ||| int png[34] <<< 16 ||| int png[35] <<< 8 ||| int png[36]
            Expect.equal (System.Text.Encoding.ASCII.GetString(png, 37, 4)) "IDAT" "data chunk"
            use zlib = new Compression.ZLibStream(new MemoryStream(png, 41, idatLength), Compression.CompressionMode.Decompress)
            use raw = new MemoryStream()
            zlib.CopyTo raw
            let expected = Array.concat [ [| 0uy |]; rgb[0..8]; [| 0uy |]; rgb[9..17] ]
            Expect.equal (raw.ToArray()) expected "filter byte 0, then each row's RGB"
        }
        test "a pixel buffer of the wrong size is refused with the sizes" {
            try
                Plot.encodePng 2 2 [| 0uy |] |> ignore
                failtest "accepted 1 byte for a 2x2 image"
            with :? System.ArgumentException as e ->
                Expect.stringContains e.Message "expected 12 bytes for 2x2 RGB, got 1" "says what was wrong"
        }
        test "a chart draws its series in the series colour" {
            let chart: Plot.Chart =
                { Width = 100; Height = 80; XRange = (0.0, 1.0); YRange = (0.0, 1.0); GridStep = (0.5, 0.5)
                  Series = [ [| (0.0, 0.0); (1.0, 1.0) |] ]; ReferenceLevels = [] }
            let pixels = Plot.render chart
            let blue = Plot.series[0]
            let isBlue i = pixels[i] = blue.R && pixels[i + 1] = blue.G && pixels[i + 2] = blue.B
            // the diagonal passes through the centre of the plotting area
            Expect.isTrue (isBlue ((40 * 100 + 50) * 3) || isBlue ((39 * 100 + 49) * 3)) "centre of the diagonal"
            Expect.isFalse (isBlue ((70 * 100 + 30) * 3)) "off the line"
        }
    ]
