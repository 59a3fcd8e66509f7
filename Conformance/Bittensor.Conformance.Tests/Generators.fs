/// FsCheck generators for the spec's inputs. Every property draws from here, so the edge cases live in one place.
module Bittensor.Conformance.Tests.Generators

open System.Numerics
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed

/// A non-negative integer below 2^bitCount, uniformly distributed.
let private belowPowerOfTwo (bitCount: int) : Gen<BigInteger> =
    if bitCount <= 0 then Gen.constant 0I
    else
        Gen.choose (0, 255)
        |> Gen.map byte
        |> Gen.arrayOfLength (bitCount / 8 + 1)
        |> Gen.map (fun bytes -> BigInteger(System.ReadOnlySpan bytes, true, false) % BigInteger.Pow(2I, bitCount))

/// Raw bits of a format: the edges of the range and of 0 and 1, values near powers of two, and values of every
/// magnitude (a random bit length, then uniform below it, either sign).
let bitsOf (format: FixedFormat) : Gen<BigInteger> =
    let total = format.IntegerBits + format.FractionBits
    let one = format.OneBits
    let edges =
        [ format.MinBits; format.MinBits + 1I; format.MaxBits; format.MaxBits - 1I; 0I; 1I; one; one - 1I; one + 1I
          one / 2I; one / 2I + 1I; -1I; -one; -(one / 2I) ]
        |> List.filter format.Fits
    let anyMagnitude =
        gen {
            let! length = Gen.choose (0, total)
            let! magnitude = belowPowerOfTwo length
            let! negative = if format.Signed then Gen.elements [ false; true ] else Gen.constant false
            return format.Clamp(if negative then -magnitude - 1I else magnitude)
        }
    let nearPowerOfTwo =
        gen {
            let! k = Gen.choose (0, total - 1)
            let! offset = Gen.choose (-2, 2)
            let! negative = if format.Signed then Gen.elements [ false; true ] else Gen.constant false
            let v = BigInteger.Pow(2I, k) + BigInteger offset
            return format.Clamp(if negative then -v else v)
        }
    Gen.frequency [ 2, Gen.elements edges; 6, anyMagnitude; 2, nearPowerOfTwo ]

let fixedOf<'T when 'T :> IFixed<'T>> : Gen<'T> = bitsOf 'T.Format |> Gen.map 'T.OfBitsUnchecked

/// An I32F32 in [0, 1] (a proportion), with 0 and 1 common.
let proportion: Gen<I32F32> =
    Gen.frequency
        [ 1, Gen.elements [ I32F32.Zero; I32F32.One ]
          6, Gen.choose64 (0L, 1L <<< 32) |> Gen.map (fun b -> { Bits = b }) ]

/// Any IEEE binary32 pattern, weighted toward finite values of moderate size.
let f32Bits: Gen<uint32> =
    Gen.frequency
        [ 3, Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32
          5, (gen {
                let! sign = Gen.elements [ 0u; 1u ]
                let! exponent = Gen.choose (127 - 40, 127 + 40)
                let! mantissa = Gen.choose (0, (1 <<< 23) - 1)
                return (sign <<< 31) ||| (uint32 exponent <<< 23) ||| uint32 mantissa
             })
          1, Gen.elements [ 0u; 0x80000000u; 0x7F800000u; 0xFF800000u; 0x7FC00000u; 1u; 0x3F000000u; 0x4F000000u ] ]

/// Any IEEE binary64 pattern, weighted toward finite values of moderate size.
let f64Bits: Gen<uint64> =
    let anyPattern = Gen.two (Gen.choose64 (0L, int64 System.UInt32.MaxValue)) |> Gen.map (fun (hi, lo) -> (uint64 hi <<< 32) ||| uint64 lo)
    Gen.frequency
        [ 3, anyPattern
          5, (gen {
                let! sign = Gen.elements [ 0UL; 1UL ]
                let! exponent = Gen.choose (1023 - 70, 1023 + 70)
                let! mantissa = Gen.two (Gen.choose64 (0L, (1L <<< 26) - 1L))
                let fraction = (uint64 (fst mantissa) <<< 26) ||| uint64 (snd mantissa)
                return (sign <<< 63) ||| (uint64 exponent <<< 52) ||| fraction
             })
          1, Gen.elements [ 0UL; 0x8000000000000000UL; 0x7FF0000000000000UL; 0xFFF0000000000000UL; 0x7FF8000000000000UL; 1UL ] ]
