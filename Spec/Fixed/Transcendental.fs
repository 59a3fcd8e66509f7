[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Transcendental

open System.Globalization
open System.Numerics

let private i32f32 (n: int) = Fixed.ofInteger<I32F32> (BigInteger n)

let e: I32F32 =
    let i9f23Bits = BigInteger.Parse("0ADF85458A2BB4A9AAFDC5620273D3CF1", NumberStyles.HexNumber) >>> 103
    Fixed.ofBits (i9f23Bits <<< (32 - 23))

let exp (x: I32F32) : I32F32 option =
    if x = I32F32.Zero then Some I32F32.One
    elif x = I32F32.One then Some e
    else
        let negative = x < I32F32.Zero
        let y = if negative then -x else x
        let mutable result = Some(y + I32F32.One)
        let mutable term = Some y
        for i in 2..31 do
            term <- term |> Option.bind (fun t -> Fixed.checkedMul t y) |> Option.bind (fun t -> Fixed.checkedDiv t (i32f32 i))
            result <- match result, term with
                      | Some r, Some t -> Fixed.checkedAdd r t
                      | _ -> None
        if negative then result |> Option.bind (Fixed.checkedDiv I32F32.One) else result

let expSafe (x: I32F32) : I32F32 =
    let clamped = max (i32f32 -20) (min (i32f32 20) x)
    match exp clamped with
    | Some v -> v
    | None -> if clamped <= I32F32.Zero then I32F32.Zero else I32F32.MaxValue

let safeExp (x: I32F32) : I32F32 = exp x |> Option.defaultValue I32F32.Zero

let sigmoidSafe (x: I32F32) (rho: I32F32) (kappa: I32F32) : I32F32 =
    let one = I32F32.One
    let offset = Fixed.saturatingSub x kappa
    let negativeRho = Fixed.saturatingMul rho (Fixed.saturatingNeg one)
    let exponent = Fixed.saturatingMul negativeRho offset
    let denominator = Fixed.saturatingAdd (expSafe exponent) one
    Fixed.safeDiv one denominator

/// clamp_value: min with the upper bound first, then max with the lower bound.
let private clampValue (low: I32F32) (high: I32F32) (v: I32F32) = max low (min high v)

let alphaSigmoid consensus weight bond alphaLow alphaHigh steepness =
    let zero, one = I32F32.Zero, I32F32.One
    let half = Fixed.ofF64Bits<I32F32> 0x3FE0000000000000UL // from_num(0.5): exactly 1/2
    let diffBuy = Fixed.saturatingSub weight consensus |> clampValue zero one
    let diffSell = Fixed.saturatingSub bond weight |> clampValue zero one
    let combinedDiff = if weight >= bond then diffBuy else diffSell
    let exponent =
        Fixed.saturatingMul (Fixed.saturatingDiv steepness (i32f32 -100)) (Fixed.saturatingSub combinedDiff half)
    let sigmoid = Fixed.saturatingDiv one (Fixed.saturatingAdd one (safeExp exponent))
    let alpha = Fixed.saturatingAdd alphaLow (Fixed.saturatingMul sigmoid (Fixed.saturatingSub alphaHigh alphaLow))
    clampValue alphaLow alphaHigh alpha
