namespace Bittensor.Spec.Fixed

// The chain's six fixed-point types. Each is a struct over its raw bits; equality and ordering are those of the bits
// (which order exactly as the values do). All arithmetic lives in the generic `Fixed` module; the operators below are
// the chain's plain Rust operators (exact or floored, raising on overflow, see Fixed.fsi) so that expressions that the
// chain writes as `a + b` read the same here. Each type declares the same handful of members; only its format and bit
// storage differ.

open System
open System.Numerics

/// The layouts of the chain's types.
[<RequireQualifiedAccess>]
module Formats =
    /// Signed, 32 integer bits (sign included) and 32 fraction bits: the epoch's working type.
    let I32F32 = FixedFormat("I32F32", 32, 32, true)
    /// Signed, 64 + 64 bits: stake normalisation and the bonds-moving-average quotient.
    let I64F64 = FixedFormat("I64F64", 64, 64, true)
    /// Signed, 96 + 32 bits: emission amounts in rao.
    let I96F32 = FixedFormat("I96F32", 96, 32, true)
    /// Unsigned, 64 + 64 bits: mechanism emission weights.
    let U64F64 = FixedFormat("U64F64", 64, 64, false)
    /// Unsigned, 96 + 32 bits: coinbase amounts and the TAO weight.
    let U96F32 = FixedFormat("U96F32", 96, 32, false)
    /// Signed, 110 + 18 bits: the registration-cost (burn) adjustment.
    let I110F18 = FixedFormat("I110F18", 110, 18, true)

module internal Display =
    /// Enough decimal places to tell neighbouring values apart, and the raw bits, which are authoritative.
    let describe<'T when 'T :> IFixed<'T>> (value: 'T) =
        let format = 'T.Format
        let places = format.FractionBits * 3 / 10 + 1
        $"{Fixed.toDecimalString places value} ({format.Name} bits {'T.ToBits value})"

module internal Int128Bits =
    let ofBig (b: BigInteger) : Int128 = BigInteger.op_Explicit b
    let toBig (x: Int128) : BigInteger = BigInteger.op_Implicit x

module internal UInt128Bits =
    let ofBig (b: BigInteger) : UInt128 = BigInteger.op_Explicit b
    let toBig (x: UInt128) : BigInteger = BigInteger.op_Implicit x

/// Signed 64-bit fixed point with 32 fraction bits (value = Bits / 2^32). Range [−2^31, 2^31 − 2^-32].
[<Struct; StructuredFormatDisplay("{Display}")>]
type I32F32 =
    { Bits: int64 }
    interface IFixed<I32F32> with
        static member Format = Formats.I32F32
        static member ToBits v = BigInteger v.Bits
        static member OfBitsUnchecked b = { Bits = int64 b }
    static member Zero: I32F32 = { Bits = 0L }
    static member One: I32F32 = { Bits = 1L <<< 32 }
    static member MaxValue: I32F32 = { Bits = Int64.MaxValue }
    static member MinValue: I32F32 = { Bits = Int64.MinValue }
    static member (+)(a: I32F32, b: I32F32) = Fixed.add a b
    static member (-)(a: I32F32, b: I32F32) = Fixed.sub a b
    static member (*)(a: I32F32, b: I32F32) = Fixed.mul a b
    static member (/)(a: I32F32, b: I32F32) = Fixed.div a b
    static member (~-)(a: I32F32) = Fixed.neg a
    member v.Display = Display.describe v
    override v.ToString() = v.Display

/// Signed 128-bit fixed point with 64 fraction bits (value = Bits / 2^64).
[<Struct; StructuredFormatDisplay("{Display}")>]
type I64F64 =
    { Bits: Int128 }
    interface IFixed<I64F64> with
        static member Format = Formats.I64F64
        static member ToBits v = Int128Bits.toBig v.Bits
        static member OfBitsUnchecked b = { Bits = Int128Bits.ofBig b }
    static member Zero: I64F64 = { Bits = Int128.Zero }
    static member One: I64F64 = { Bits = Int128.One <<< 64 }
    static member MaxValue: I64F64 = { Bits = Int128.MaxValue }
    static member MinValue: I64F64 = { Bits = Int128.MinValue }
    static member (+)(a: I64F64, b: I64F64) = Fixed.add a b
    static member (-)(a: I64F64, b: I64F64) = Fixed.sub a b
    static member (*)(a: I64F64, b: I64F64) = Fixed.mul a b
    static member (/)(a: I64F64, b: I64F64) = Fixed.div a b
    static member (~-)(a: I64F64) = Fixed.neg a
    member v.Display = Display.describe v
    override v.ToString() = v.Display

/// Signed 128-bit fixed point with 32 fraction bits (value = Bits / 2^32).
[<Struct; StructuredFormatDisplay("{Display}")>]
type I96F32 =
    { Bits: Int128 }
    interface IFixed<I96F32> with
        static member Format = Formats.I96F32
        static member ToBits v = Int128Bits.toBig v.Bits
        static member OfBitsUnchecked b = { Bits = Int128Bits.ofBig b }
    static member Zero: I96F32 = { Bits = Int128.Zero }
    static member One: I96F32 = { Bits = Int128.One <<< 32 }
    static member MaxValue: I96F32 = { Bits = Int128.MaxValue }
    static member MinValue: I96F32 = { Bits = Int128.MinValue }
    static member (+)(a: I96F32, b: I96F32) = Fixed.add a b
    static member (-)(a: I96F32, b: I96F32) = Fixed.sub a b
    static member (*)(a: I96F32, b: I96F32) = Fixed.mul a b
    static member (/)(a: I96F32, b: I96F32) = Fixed.div a b
    static member (~-)(a: I96F32) = Fixed.neg a
    member v.Display = Display.describe v
    override v.ToString() = v.Display

/// Unsigned 128-bit fixed point with 64 fraction bits (value = Bits / 2^64).
[<Struct; StructuredFormatDisplay("{Display}")>]
type U64F64 =
    { Bits: UInt128 }
    interface IFixed<U64F64> with
        static member Format = Formats.U64F64
        static member ToBits v = UInt128Bits.toBig v.Bits
        static member OfBitsUnchecked b = { Bits = UInt128Bits.ofBig b }
    static member Zero: U64F64 = { Bits = UInt128.Zero }
    static member One: U64F64 = { Bits = UInt128.One <<< 64 }
    static member MaxValue: U64F64 = { Bits = UInt128.MaxValue }
    static member MinValue: U64F64 = { Bits = UInt128.MinValue }
    static member (+)(a: U64F64, b: U64F64) = Fixed.add a b
    static member (-)(a: U64F64, b: U64F64) = Fixed.sub a b
    static member (*)(a: U64F64, b: U64F64) = Fixed.mul a b
    static member (/)(a: U64F64, b: U64F64) = Fixed.div a b
    member v.Display = Display.describe v
    override v.ToString() = v.Display

/// Unsigned 128-bit fixed point with 32 fraction bits (value = Bits / 2^32).
[<Struct; StructuredFormatDisplay("{Display}")>]
type U96F32 =
    { Bits: UInt128 }
    interface IFixed<U96F32> with
        static member Format = Formats.U96F32
        static member ToBits v = UInt128Bits.toBig v.Bits
        static member OfBitsUnchecked b = { Bits = UInt128Bits.ofBig b }
    static member Zero: U96F32 = { Bits = UInt128.Zero }
    static member One: U96F32 = { Bits = UInt128.One <<< 32 }
    static member MaxValue: U96F32 = { Bits = UInt128.MaxValue }
    static member MinValue: U96F32 = { Bits = UInt128.MinValue }
    static member (+)(a: U96F32, b: U96F32) = Fixed.add a b
    static member (-)(a: U96F32, b: U96F32) = Fixed.sub a b
    static member (*)(a: U96F32, b: U96F32) = Fixed.mul a b
    static member (/)(a: U96F32, b: U96F32) = Fixed.div a b
    member v.Display = Display.describe v
    override v.ToString() = v.Display

/// Signed 128-bit fixed point with 18 fraction bits (value = Bits / 2^18): the burn adjustment's working type.
[<Struct; StructuredFormatDisplay("{Display}")>]
type I110F18 =
    { Bits: Int128 }
    interface IFixed<I110F18> with
        static member Format = Formats.I110F18
        static member ToBits v = Int128Bits.toBig v.Bits
        static member OfBitsUnchecked b = { Bits = Int128Bits.ofBig b }
    static member Zero: I110F18 = { Bits = Int128.Zero }
    static member One: I110F18 = { Bits = Int128.One <<< 18 }
    static member MaxValue: I110F18 = { Bits = Int128.MaxValue }
    static member MinValue: I110F18 = { Bits = Int128.MinValue }
    static member (+)(a: I110F18, b: I110F18) = Fixed.add a b
    static member (-)(a: I110F18, b: I110F18) = Fixed.sub a b
    static member (*)(a: I110F18, b: I110F18) = Fixed.mul a b
    static member (/)(a: I110F18, b: I110F18) = Fixed.div a b
    static member (~-)(a: I110F18) = Fixed.neg a
    member v.Display = Display.describe v
    override v.ToString() = v.Display
