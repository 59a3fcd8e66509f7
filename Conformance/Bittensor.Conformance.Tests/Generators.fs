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

open Bittensor.Spec.Yuma

/// A u16 weight or bond value, with 0 and 65535 common.
let u16Value: Gen<uint16> = Gen.frequency [ 1, Gen.elements [ 0us; 65535us ]; 5, Gen.choose (0, 65535) |> Gen.map uint16 ]

/// A stored sparse row over n uids: a random subset of targets in random (submission) order.
let storedRow (n: int) : Gen<StoredEntry[]> =
    gen {
        let! targets = Gen.subListOf [ 0 .. n - 1 ]
        let! shuffled = Gen.shuffle (Array.ofSeq targets)
        let! values = Gen.arrayOfLength shuffled.Length u16Value
        return Array.map2 (fun uid value -> { Uid = uid; Value = value }) shuffled values
    }

/// Hyperparameters around the production defaults, varying everything the epoch branches on.
let hyperparameters (n: int) : Gen<Hyperparameters> =
    gen {
        let! kappa = Gen.frequency [ 3, Gen.constant 32767us; 1, u16Value ]
        let! bondsPenalty = Gen.frequency [ 2, Gen.constant 65535us; 1, Gen.constant 0us; 2, u16Value ]
        let! bma = Gen.elements [ 900000UL; 975000UL; 0UL; 1000000UL; 500000UL ]
        let! k = Gen.frequency [ 3, Gen.constant 64us; 1, Gen.choose (0, n + 1) |> Gen.map uint16 ]
        let! threshold = Gen.frequency [ 3, Gen.constant 0UL; 1, Gen.choose (0, 2000) |> Gen.map uint64 ]
        let! taoWeight = Gen.elements [ 0UL; 971718665099567868UL; System.UInt64.MaxValue ]
        let! yuma3 = Gen.elements [ true; false ]
        let! liquid = Gen.elements [ false; true ]
        let! lo = Gen.choose (1638, 65535)
        let! hi = Gen.choose (lo, 65535)
        let! steepness = Gen.frequency [ 3, Gen.constant 1000; 1, Gen.choose (-32768, 32767) ]
        let! era = Gen.frequency [ 4, Gen.constant Current; 1, Gen.constant Before2025_10 ]
        return
            { Era = era; ActivityCutoff = 5000us; Tempo = 360us; ActivityCutoffFactorMilli = 13889UL; Kappa = kappa; BondsPenalty = bondsPenalty
              BondsMovingAverage = bma; MaxAllowedValidators = k; StakeThreshold = threshold; TaoWeight = taoWeight
              Yuma3 = yuma3; LiquidAlpha = liquid; AlphaLow = uint16 lo; AlphaHigh = uint16 hi
              AlphaSigmoidSteepness = int16 steepness; CommitReveal = false }
    }

/// A random subnet of 1–12 uids at block 10 000: some zero stakes, some inactive uids, some missing permits, weights
/// and bonds in random order, some uids re-registered after others set weights.
let subnet: Gen<Hyperparameters * EpochState> =
    gen {
        let! n = Gen.choose (1, 12)
        let block = 10000UL
        let! hp = hyperparameters n
        let! alpha = Gen.arrayOfLength n (Gen.frequency [ 1, Gen.constant 0UL; 3, Gen.choose64 (1L, 1_000_000_000_000L) |> Gen.map uint64 ])
        let! tao = Gen.arrayOfLength n (Gen.frequency [ 3, Gen.constant 0UL; 1, Gen.choose64 (1L, 1_000_000_000L) |> Gen.map uint64 ])
        let! lastUpdate = Gen.arrayOfLength n (Gen.choose (0, 7000) |> Gen.map (fun age -> block - uint64 age))
        let! registered = Gen.arrayOfLength n (Gen.frequency [ 3, Gen.constant 0UL; 1, Gen.choose (0, 10000) |> Gen.map uint64 ])
        let! permits = Gen.arrayOfLength n (Gen.frequency [ 3, Gen.constant true; 1, Gen.constant false ])
        let! weights = Gen.arrayOfLength n (storedRow n)
        let! bonds = Gen.arrayOfLength n (storedRow n)
        let! owner = Gen.frequency [ 3, Gen.constant None; 1, Gen.choose (0, n - 1) |> Gen.map Some ]
        let! lastStep = Gen.elements [ 0UL; block - 360UL ]
        let! rao = Gen.frequency [ 3, Gen.constant 1_000_000_000UL; 1, Gen.choose64 (0L, System.Int64.MaxValue) |> Gen.map uint64 ]
        return
            hp,
            { N = n; Block = block; LastUpdate = lastUpdate; BlockAtRegistration = registered; AlphaStake = alpha
              TaoStake = tao; OwnerUid = owner; ValidatorPermits = permits; Weights = weights; Bonds = bonds
              CommitBlocks = Array.create n System.UInt64.MaxValue; LastMechanismStepBlock = lastStep; RaoEmission = rao }
    }

open Bittensor.Spec.Subnet

/// Random operations by the example's participants and by strangers, valid and invalid alike.
let operation: Gen<Operation> =
    let accounts = Array.append (Examples.participants |> Array.collect (fun p -> [| p.Coldkey; p.Hotkey |])) [| State.exampleAccount "stranger" |]
    let anyAccount = Gen.elements accounts
    let uids = Gen.arrayOf (Gen.choose (0, 11) |> Gen.map uint16)
    gen {
        let! kind = Gen.choose (0, 6)
        let! a = anyAccount
        let! b = anyAccount
        let! us = uids
        let! vs = Gen.arrayOfLength us.Length u16Value
        let! extra = Gen.elements [ 0; 0; 0; 1 ]
        let values = if extra = 1 then Array.append vs [| 1us |] else vs
        let! amount = Gen.elements [ 0UL; 1UL; 500_000UL; 1_000_000_000UL; 50_000_000_000_000UL ]
        let! ip = Gen.elements [ 0I; 167772161I; 4294967295I ]
        let! ipType = Gen.elements [ 4uy; 6uy; 5uy ]
        return
            match kind with
            | 0 -> Register(a, b)
            | 1 -> SetWeights(b, us, values, 0UL)
            | 2 -> AddStake(a, b, amount)
            | 3 -> RemoveStake(a, b, amount)
            | 4 -> ServeAxon(b, 1u, ip, 8091us, ipType, 4uy)
            | 5 -> CommitWeights(b, Array.zeroCreate 32)
            | _ -> RevealWeights(b, us, values, [| 1us |], 0UL)
    }

let operationSequence: Gen<Operation list> = Gen.listOf operation
