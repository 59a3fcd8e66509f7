namespace Bittensor.Spec.Fixed

open System.Numerics

[<Sealed>]
type FixedFormat(name: string, integerBits: int, fractionBits: int, signed: bool) =
    let total = integerBits + fractionBits
    let minBits = if signed then -(BigInteger.Pow(2I, total - 1)) else 0I
    let maxBits = if signed then BigInteger.Pow(2I, total - 1) - 1I else BigInteger.Pow(2I, total) - 1I
    let oneBits = BigInteger.Pow(2I, fractionBits)
    member _.Name = name
    member _.IntegerBits = integerBits
    member _.FractionBits = fractionBits
    member _.Signed = signed
    member _.MinBits = minBits
    member _.MaxBits = maxBits
    member _.OneBits = oneBits
    member _.Fits(bits: BigInteger) = bits >= minBits && bits <= maxBits
    member _.Clamp(bits: BigInteger) = BigInteger.Max(minBits, BigInteger.Min(maxBits, bits))
    override _.ToString() = name

type IFixed<'T when 'T :> IFixed<'T>> =
    static abstract Format: FixedFormat
    static abstract ToBits: value: 'T -> BigInteger
    static abstract OfBitsUnchecked: bits: BigInteger -> 'T

[<RequireQualifiedAccess>]
module Rounding =
    let floorDiv (n: BigInteger) (d: BigInteger) =
        let q, r = BigInteger.DivRem(n, d)
        if r.Sign <> 0 && (r.Sign < 0) <> (d.Sign < 0) then q - 1I else q

    let truncDiv (n: BigInteger) (d: BigInteger) = BigInteger.Divide(n, d)

    let halfEvenDivPow2 (n: BigInteger) (k: int) =
        if k = 0 then n
        else
            let d = BigInteger.Pow(2I, k)
            let q = floorDiv n d
            let twiceRemainder = 2I * (n - q * d)
            if twiceRemainder > d then q + 1I
            elif twiceRemainder < d then q
            elif q.IsEven then q
            else q + 1I

    let halfAwayDivPow2 (n: BigInteger) (k: int) =
        if k = 0 then n
        else
            let d = BigInteger.Pow(2I, k)
            let magnitude = floorDiv (BigInteger.Abs n + d / 2I) d
            if n.Sign < 0 then -magnitude else magnitude
