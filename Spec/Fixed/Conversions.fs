[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Conversions

open System.Numerics

let private u16Max = Fixed.ofInteger<I32F32> 65535I

let u16ToFixed (x: uint16) = Fixed.saturatingOfInteger<I32F32> (BigInteger x)

let u16ProportionToFixed (x: uint16) = Fixed.safeDiv (u16ToFixed x) u16Max

let fixedToFixedU16Proportion (x: I32F32) = Fixed.safeDiv x u16Max

let fixedProportionToU16 (x: I32F32) = Fixed.saturatingToUInt16 (Fixed.saturatingMul x u16Max)

let vecFixedProportionsToU16 (v: I32F32[]) = Array.map fixedProportionToU16 v

let vecFixed64ToFixed32 (v: I64F64[]) : I32F32[] = Array.map Fixed.saturatingConvert v

let vecFixed32ToU64 (v: I32F32[]) = Array.map Fixed.saturatingToUInt64 v

let vecMaxUpscaleToU16 (v: I32F32[]) : uint16[] =
    if v.Length = 0 then [||]
    else
        let m = Array.max v
        let threshold = Fixed.ofInteger<I32F32> 32768I
        if m = I32F32.Zero then v |> Array.map (fun e -> Fixed.saturatingToUInt16 (Fixed.saturatingMul e u16Max))
        elif m > threshold then
            let scale = Fixed.safeDiv u16Max m
            v |> Array.map (fun e -> Fixed.saturatingMul e scale |> Fixed.round |> Fixed.saturatingToUInt16)
        else
            v |> Array.map (fun e -> Fixed.safeDiv (Fixed.saturatingMul e u16Max) m |> Fixed.round |> Fixed.saturatingToUInt16)

let vecU16MaxUpscaleToU16 (v: uint16[]) = v |> Array.map u16ToFixed |> vecMaxUpscaleToU16

let emaAlphaOfBondsMovingAverage (bondsMovingAverage: uint64) =
    let average = Fixed.saturatingDiv (Fixed.ofInteger<I64F64> (BigInteger bondsMovingAverage)) (Fixed.ofInteger 1000000I)
    Fixed.saturatingSub I32F32.One (Fixed.convert<I64F64, I32F32> average)
