/// <summary>
/// The shape of a fixed-point number and the exact integer rounding primitives every fixed-point operation is built on.
/// </summary>
/// <remarks>
/// A fixed-point value is an integer <c>bits</c> read as <c>bits / 2^FractionBits</c>. The chain uses the
/// <c>substrate-fixed</c> crate (encointer fork, v0.6.0); its types are <c>I32F32</c>, <c>I64F64</c>, <c>I96F32</c>, <c>I110F18</c>,
/// <c>U64F64</c> and <c>U96F32</c>. Every operation in <see cref="T:Bittensor.Spec.Fixed.FixedModule"/> is written as
/// "compute the exact result as an integer number of ulps with a stated rounding, then apply an overflow policy", using
/// the primitives below on arbitrary-precision integers, so nothing is ever rounded by accident.
/// </remarks>
namespace Bittensor.Spec.Fixed

open System.Numerics

/// The layout of one fixed-point type.
[<Sealed>]
type FixedFormat =
    /// <summary>Builds a format: <paramref name="integerBits"/> + <paramref name="fractionBits"/> bits in all, the sign
    /// bit counted among the integer bits when <paramref name="signed"/>.</summary>
    new: name: string * integerBits: int * fractionBits: int * signed: bool -> FixedFormat
    /// The chain's name for the type, e.g. "I32F32".
    member Name: string
    member IntegerBits: int
    member FractionBits: int
    member Signed: bool
    /// Smallest representable raw value: <c>-2^(total-1)</c> when signed, else 0.
    member MinBits: BigInteger
    /// Largest representable raw value: <c>2^(total-1) - 1</c> when signed, else <c>2^total - 1</c>.
    member MaxBits: BigInteger
    /// The raw value of 1, <c>2^FractionBits</c>.
    member OneBits: BigInteger
    /// True when <paramref name="bits"/> lies in [MinBits, MaxBits].
    member Fits: bits: BigInteger -> bool
    /// <paramref name="bits"/> clamped to [MinBits, MaxBits].
    member Clamp: bits: BigInteger -> BigInteger

/// <summary>
/// A fixed-point type: its format, and the raw-bits view every generic operation works through. Implemented by
/// <c>I32F32</c>, <c>I64F64</c>, <c>I96F32</c>, <c>I110F18</c>, <c>U64F64</c> and <c>U96F32</c>.
/// </summary>
type IFixed<'T when 'T :> IFixed<'T>> =
    /// The layout of this type.
    static abstract Format: FixedFormat
    /// The raw value of <paramref name="value"/> as an exact integer.
    static abstract ToBits: value: 'T -> BigInteger
    /// Wraps raw bits that the caller has already checked fit the format.
    static abstract OfBitsUnchecked: bits: BigInteger -> 'T

/// Exact integer rounding on arbitrary-precision integers.
[<RequireQualifiedAccess>]
module Rounding =
    /// <summary>⌊n / d⌋, rounding toward −∞, for d &gt; 0.</summary>
    /// <example><c>floorDiv -7I 2I</c> evaluates to <c>-4I</c>.</example>
    val floorDiv: n: BigInteger -> d: BigInteger -> BigInteger

    /// <summary>n / d rounded toward zero (Rust's integer division), for d ≠ 0.</summary>
    /// <example><c>truncDiv -7I 2I</c> evaluates to <c>-3I</c>.</example>
    val truncDiv: n: BigInteger -> d: BigInteger -> BigInteger

    /// <summary>n / 2^k rounded to the nearest integer, ties to the even neighbour (IEEE round-half-even), k ≥ 0.</summary>
    /// <example><c>halfEvenDivPow2 5I 1</c> (2.5) evaluates to <c>2I</c>; <c>halfEvenDivPow2 7I 1</c> (3.5) to <c>4I</c>.</example>
    val halfEvenDivPow2: n: BigInteger -> k: int -> BigInteger

    /// <summary>n / 2^k rounded to the nearest integer, ties away from zero, k ≥ 0.</summary>
    /// <example><c>halfAwayDivPow2 -5I 1</c> (−2.5) evaluates to <c>-3I</c>.</example>
    val halfAwayDivPow2: n: BigInteger -> k: int -> BigInteger
