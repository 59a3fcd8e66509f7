[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Fixed

open System
open System.Numerics

let bits<'T when 'T :> IFixed<'T>> (value: 'T) = 'T.ToBits value

/// The one place where an exact result meets the type's range under the plain (raising) policy.
let private make<'T when 'T :> IFixed<'T>> (operation: string) (exactBits: BigInteger) : 'T =
    let format = 'T.Format
    if format.Fits exactBits then 'T.OfBitsUnchecked exactBits
    else raise (OverflowException $"{format.Name} {operation} overflows: the exact result is {exactBits} ulps, the range is [{format.MinBits}, {format.MaxBits}]")

let private tryMake<'T when 'T :> IFixed<'T>> (exactBits: BigInteger) : 'T option =
    if 'T.Format.Fits exactBits then Some('T.OfBitsUnchecked exactBits) else None

let private saturate<'T when 'T :> IFixed<'T>> (exactBits: BigInteger) : 'T =
    'T.OfBitsUnchecked('T.Format.Clamp exactBits)

let ofBits<'T when 'T :> IFixed<'T>> (bits: BigInteger) : 'T = make "ofBits" bits

let private integerBits<'T when 'T :> IFixed<'T>> (n: BigInteger) = n * 'T.Format.OneBits

let ofInteger<'T when 'T :> IFixed<'T>> (n: BigInteger) : 'T = make "from integer" (integerBits<'T> n)

let saturatingOfInteger<'T when 'T :> IFixed<'T>> (n: BigInteger) : 'T = saturate (integerBits<'T> n)

/// An IEEE 754 binary float decoded exactly: NaN, an infinity, or sign · m · 2^e.
type private BinaryFloat =
    | NotANumber
    | Infinite of negative: bool
    | Finite of negative: bool * mantissa: BigInteger * exponent: int

let private decodeBinaryFloat (raw: BigInteger) (exponentBits: int) (mantissaBits: int) =
    let bias = (1 <<< (exponentBits - 1)) - 1
    let mantissaMask = BigInteger.Pow(2I, mantissaBits) - 1I
    let fraction = raw &&& mantissaMask
    let biasedExponent = int ((raw >>> mantissaBits) &&& BigInteger((1 <<< exponentBits) - 1))
    let negative = not (raw >>> (mantissaBits + exponentBits)).IsZero
    if biasedExponent = (1 <<< exponentBits) - 1 then
        if fraction.IsZero then Infinite negative else NotANumber
    elif biasedExponent = 0 then Finite(negative, fraction, 1 - bias - mantissaBits) // subnormal or zero
    else Finite(negative, fraction + mantissaMask + 1I, biasedExponent - bias - mantissaBits)

/// The float's value in ulps of 'T, rounded to nearest with ties to even (symmetric in the sign).
let private floatToBits<'T when 'T :> IFixed<'T>> (negative: bool) (mantissa: BigInteger) (exponent: int) =
    let shift = exponent + 'T.Format.FractionBits
    let magnitude =
        if shift >= 0 then mantissa * BigInteger.Pow(2I, shift)
        else Rounding.halfEvenDivPow2 mantissa -shift
    if negative then -magnitude else magnitude

let private ofBinaryFloat<'T when 'T :> IFixed<'T>> (saturating: bool) (source: string) (decoded: BinaryFloat) : 'T =
    match decoded with
    | NotANumber -> raise (OverflowException $"{'T.Format.Name} from {source}: NaN has no fixed-point value")
    | Infinite negative when saturating ->
        'T.OfBitsUnchecked(if negative then 'T.Format.MinBits else 'T.Format.MaxBits)
    | Infinite _ -> raise (OverflowException $"{'T.Format.Name} from {source}: infinity has no fixed-point value")
    | Finite(negative, mantissa, exponent) ->
        let exact = floatToBits<'T> negative mantissa exponent
        if saturating then saturate exact else make $"from {source}" exact

let ofF32Bits<'T when 'T :> IFixed<'T>> (ieeeBits: uint32) : 'T =
    ofBinaryFloat false "f32" (decodeBinaryFloat (BigInteger ieeeBits) 8 23)

let saturatingOfF32Bits<'T when 'T :> IFixed<'T>> (ieeeBits: uint32) : 'T =
    ofBinaryFloat true "f32" (decodeBinaryFloat (BigInteger ieeeBits) 8 23)

let ofF64Bits<'T when 'T :> IFixed<'T>> (ieeeBits: uint64) : 'T =
    ofBinaryFloat false "f64" (decodeBinaryFloat (BigInteger ieeeBits) 11 52)

let saturatingOfF64Bits<'T when 'T :> IFixed<'T>> (ieeeBits: uint64) : 'T =
    ofBinaryFloat true "f64" (decodeBinaryFloat (BigInteger ieeeBits) 11 52)

/// Source bits re-expressed in the target's ulps, flooring any dropped fraction bits.
let private convertedBits<'S, 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D>> (value: 'S) =
    let shift = 'D.Format.FractionBits - 'S.Format.FractionBits
    let raw = 'S.ToBits value
    if shift >= 0 then raw * BigInteger.Pow(2I, shift)
    else Rounding.floorDiv raw (BigInteger.Pow(2I, -shift))

let convert<'S, 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D>> (value: 'S) : 'D =
    make $"from {'S.Format.Name}" (convertedBits<'S, 'D> value)

let saturatingConvert<'S, 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D>> (value: 'S) : 'D =
    saturate (convertedBits<'S, 'D> value)

let floorToInteger<'T when 'T :> IFixed<'T>> (value: 'T) =
    Rounding.floorDiv ('T.ToBits value) 'T.Format.OneBits

let saturatingToUInt16<'T when 'T :> IFixed<'T>> (value: 'T) =
    uint16 (BigInteger.Clamp(floorToInteger value, 0I, BigInteger UInt16.MaxValue))

let saturatingToUInt64<'T when 'T :> IFixed<'T>> (value: 'T) =
    uint64 (BigInteger.Clamp(floorToInteger value, 0I, BigInteger UInt64.MaxValue))

let toUInt64<'T when 'T :> IFixed<'T>> (value: 'T) =
    let n = floorToInteger value
    if n.Sign < 0 || n > BigInteger UInt64.MaxValue then
        raise (OverflowException $"{'T.Format.Name} to u64 overflows: the floor is {n}")
    uint64 n

let add<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = make "addition" ('T.ToBits a + 'T.ToBits b)
let sub<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = make "subtraction" ('T.ToBits a - 'T.ToBits b)
let checkedAdd<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T option = tryMake ('T.ToBits a + 'T.ToBits b)
let checkedSub<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T option = tryMake ('T.ToBits a - 'T.ToBits b)
let saturatingAdd<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = saturate ('T.ToBits a + 'T.ToBits b)
let saturatingSub<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = saturate ('T.ToBits a - 'T.ToBits b)

/// ⌊a · b⌋ in ulps: the exact product of the raw values has 2·frac fraction bits; floor away frac of them.
let private productBits<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) =
    Rounding.floorDiv ('T.ToBits a * 'T.ToBits b) 'T.Format.OneBits

let mul<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = make "multiplication" (productBits a b)
let checkedMul<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T option = tryMake (productBits a b)
let saturatingMul<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T = saturate (productBits a b)

/// (a · 2^frac) / b in ulps, truncated toward zero; None when b is zero.
let private quotientBits<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) =
    let divisor = 'T.ToBits b
    if divisor.IsZero then None
    else Some(Rounding.truncDiv ('T.ToBits a * 'T.Format.OneBits) divisor)

let private divideByZero<'T when 'T :> IFixed<'T>> () : 'T =
    raise (DivideByZeroException $"{'T.Format.Name} division by zero")

let div<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T =
    match quotientBits a b with
    | Some q -> make "division" q
    | None -> divideByZero ()

let checkedDiv<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T option = quotientBits a b |> Option.bind tryMake

let saturatingDiv<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T =
    match quotientBits a b with
    | Some q -> saturate q
    | None -> divideByZero ()

let safeDiv<'T when 'T :> IFixed<'T>> (a: 'T) (b: 'T) : 'T =
    checkedDiv a b |> Option.defaultWith (fun () -> 'T.OfBitsUnchecked 0I)

let neg<'T when 'T :> IFixed<'T>> (a: 'T) : 'T = make "negation" (-('T.ToBits a))
let saturatingNeg<'T when 'T :> IFixed<'T>> (a: 'T) : 'T = saturate (-('T.ToBits a))

let round<'T when 'T :> IFixed<'T>> (a: 'T) : 'T =
    let fractionBits = 'T.Format.FractionBits
    make "round" (Rounding.halfAwayDivPow2 ('T.ToBits a) fractionBits * 'T.Format.OneBits)

let sum<'T when 'T :> IFixed<'T>> (values: seq<'T>) : 'T =
    values |> Seq.fold add ('T.OfBitsUnchecked 0I)

let checkedSum<'T when 'T :> IFixed<'T>> (values: seq<'T>) : 'T option =
    values |> Seq.fold (fun acc v -> acc |> Option.bind (fun a -> checkedAdd a v)) (Some('T.OfBitsUnchecked 0I))

let toDecimalString<'T when 'T :> IFixed<'T>> (places: int) (value: 'T) =
    let raw = 'T.ToBits value
    let fractionBits = 'T.Format.FractionBits
    let scaled = Rounding.halfEvenDivPow2 (BigInteger.Abs raw * BigInteger.Pow(10I, places)) fractionBits
    let digits = scaled.ToString().PadLeft(places + 1, '0')
    let sign = if raw.Sign < 0 && not scaled.IsZero then "-" else ""
    if places = 0 then sign + digits
    else sign + digits.Substring(0, digits.Length - places) + "." + digits.Substring(digits.Length - places)
