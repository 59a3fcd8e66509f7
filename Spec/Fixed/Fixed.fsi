/// <summary>
/// Every fixed-point operation the chain uses, with its exact rounding, overflow and zero behaviour.
/// </summary>
/// <remarks>
/// <para>Source: <c>substrate-fixed</c> v0.6.0 (encointer fork) as used by <c>opentensor/subtensor</c>, and
/// <c>primitives/safe-math</c> for <c>safe_div</c>. The contract is section 1 of <c>shared/notes/yuma-epoch.md</c>;
/// <c>docs/fixed-point.md</c> explains it for auditors.</para>
/// <para>Every function is generic over the six chain types (<c>I32F32</c>, <c>I64F64</c>, <c>I96F32</c>, <c>I110F18</c>,
/// <c>U64F64</c>, <c>U96F32</c>). Examples use <c>I32F32</c>, where 1.0 is bits 4294967296 (2^32).</para>
/// <para>Overflow policies, named as in Rust: a plain operation (<c>add</c>, <c>mul</c>, <c>ofInteger</c>, …) raises
/// <see cref="T:System.OverflowException"/> where the chain would panic (debug) — the epoch never reaches that on valid
/// data, so the spec stops rather than guess; <c>checked*</c> returns <c>None</c>; <c>saturating*</c> clamps to the
/// type's range; <c>safeDiv</c> returns zero.</para>
/// <para>No binary floating point is used anywhere: float inputs arrive as their IEEE 754 bit patterns.</para>
/// </remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Fixed

open System.Numerics

/// <summary>The raw value (number of 2^-frac ulps) as an exact integer.</summary>
/// <example><c>Fixed.bits (Fixed.ofInteger&lt;I32F32&gt; 1I)</c> evaluates to <c>4294967296I</c>.</example>
val bits: value: 'T -> BigInteger when 'T :> IFixed<'T>

/// <summary>The value whose raw bits are <paramref name="bits"/>.</summary>
/// <exception cref="T:System.OverflowException">The bits do not fit the type.</exception>
/// <example><c>Fixed.ofBits&lt;I32F32&gt; 2147483648I</c> is 0.5.</example>
val ofBits: bits: BigInteger -> 'T when 'T :> IFixed<'T>

/// <summary><c>from_num(integer)</c>: the integer exactly (<c>bits = n · 2^frac</c>).</summary>
/// <exception cref="T:System.OverflowException">n is outside the type's range (the chain panics, e.g.
/// <c>I32F32::from_num(u32::MAX)</c>).</exception>
/// <example><c>Fixed.ofInteger&lt;I32F32&gt; 65535I</c> has bits 281470681743360.</example>
val ofInteger: n: BigInteger -> 'T when 'T :> IFixed<'T>

/// <summary><c>saturating_from_num(integer)</c>: exact, or the nearest end of the range.</summary>
/// <example><c>Fixed.saturatingOfInteger&lt;I32F32&gt; 4294967295I</c> is <c>I32F32::MAX</c> (bits 2^63 − 1).</example>
val saturatingOfInteger: n: BigInteger -> 'T when 'T :> IFixed<'T>

/// <summary><c>from_num(x: f32)</c>, x given as its IEEE 754 binary32 bit pattern: the exact binary value rounded to
/// the nearest multiple of 2^-frac, ties to even.</summary>
/// <remarks>A decimal literal first became the nearest binary32, so f32 0.1 (0x3DCCCCCD = 0.100000001490116…) differs
/// from f64 0.1.</remarks>
/// <exception cref="T:System.OverflowException">NaN, ±∞, or a value outside the type's range.</exception>
/// <example><c>Fixed.ofF32Bits&lt;I32F32&gt; 0x3DCCCCCDu</c> (f32 0.1) has bits 429496736.</example>
val ofF32Bits: ieeeBits: uint32 -> 'T when 'T :> IFixed<'T>

/// <summary><c>saturating_from_num(x: f32)</c>: as <c>ofF32Bits</c>, but ±∞ and out-of-range values clamp to the
/// range. NaN still raises (the chain panics).</summary>
val saturatingOfF32Bits: ieeeBits: uint32 -> 'T when 'T :> IFixed<'T>

/// <summary><c>from_num(x: f64)</c>, x given as its IEEE 754 binary64 bit pattern; rounding as <c>ofF32Bits</c>.
/// An unsuffixed Rust float literal is an f64.</summary>
/// <exception cref="T:System.OverflowException">NaN, ±∞, or a value outside the type's range.</exception>
/// <example><c>Fixed.ofF64Bits&lt;I32F32&gt; 0x3FB999999999999AUL</c> (f64 0.1) has bits 429496730.</example>
val ofF64Bits: ieeeBits: uint64 -> 'T when 'T :> IFixed<'T>

/// <summary><c>saturating_from_num(x: f64)</c>: ±∞ and out-of-range values clamp; NaN raises.</summary>
val saturatingOfF64Bits: ieeeBits: uint64 -> 'T when 'T :> IFixed<'T>

/// <summary>Fixed to fixed (<c>from_num</c>/<c>to_num</c> between fixed types): extra fraction bits are dropped with
/// an arithmetic shift, i.e. <b>floor</b> (toward −∞); fewer fraction bits in the source are exact.</summary>
/// <exception cref="T:System.OverflowException">The floored value does not fit the target.</exception>
/// <example>I64F64 bits −1 (−2^-64) converts to I32F32 bits −1 (−2^-32), not 0.</example>
val convert: value: 'S -> 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D>

/// <summary><c>saturating_from_num</c> between fixed types: floor, then clamp to the target's range.</summary>
/// <example>I32F32 −1 converts to U64F64 0.</example>
val saturatingConvert: value: 'S -> 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D>

/// <summary><c>to_num::&lt;integer&gt;</c> before the range check: ⌊value⌋ (floor, toward −∞).</summary>
/// <example>I32F32 −0.5 floors to <c>-1I</c>; 2.999… floors to <c>2I</c>.</example>
val floorToInteger: value: 'T -> BigInteger when 'T :> IFixed<'T>

/// <summary><c>saturating_to_num::&lt;u16&gt;</c>: ⌊value⌋ clamped to [0, 65535]; negatives give 0.</summary>
/// <example>I32F32 65535.99 gives 65535; 70000 gives 65535; −3 gives 0.</example>
val saturatingToUInt16: value: 'T -> uint16 when 'T :> IFixed<'T>

/// <summary><c>saturating_to_num::&lt;u64&gt;</c>: ⌊value⌋ clamped to [0, 2^64 − 1].</summary>
val saturatingToUInt64: value: 'T -> uint64 when 'T :> IFixed<'T>

/// <summary><c>to_num::&lt;u64&gt;</c>: ⌊value⌋.</summary>
/// <exception cref="T:System.OverflowException">The floor is negative or above 2^64 − 1.</exception>
val toUInt64: value: 'T -> uint64 when 'T :> IFixed<'T>

/// <summary><c>a + b</c>: exact.</summary>
/// <exception cref="T:System.OverflowException">The sum does not fit (the chain panics in debug builds).</exception>
val add: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>a - b</c>: exact.</summary>
/// <exception cref="T:System.OverflowException">The difference does not fit.</exception>
val sub: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>checked_add</c>: exact, <c>None</c> on overflow.</summary>
val checkedAdd: a: 'T -> b: 'T -> 'T option when 'T :> IFixed<'T>

/// <summary><c>checked_sub</c>: exact, <c>None</c> on overflow.</summary>
val checkedSub: a: 'T -> b: 'T -> 'T option when 'T :> IFixed<'T>

/// <summary><c>saturating_add</c>: exact, clamped to the range.</summary>
/// <example><c>I32F32::MAX + 1</c> gives <c>I32F32::MAX</c>.</example>
val saturatingAdd: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>saturating_sub</c>: exact, clamped to the range (for unsigned types, never below 0).</summary>
/// <example>U64F64 1 − 2 gives 0.</example>
val saturatingSub: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>a * b</c>: the exact product of the raw values shifted right by frac, i.e. <b>floor</b>:
/// <c>bits = ⌊a.bits · b.bits / 2^frac⌋</c>.</summary>
/// <exception cref="T:System.OverflowException">The floored product does not fit.</exception>
/// <example>I32F32 bits 1 × bits 1 (2^-32 · 2^-32) gives 0; bits −1 × bits 1 gives bits −1 (floor, not toward zero).</example>
val mul: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>checked_mul</c>: floor as <c>mul</c>, <c>None</c> on overflow.</summary>
val checkedMul: a: 'T -> b: 'T -> 'T option when 'T :> IFixed<'T>

/// <summary><c>saturating_mul</c>: floor as <c>mul</c>, then clamped (MAX when the exact product is positive, MIN
/// when negative).</summary>
/// <example>I32F32 65536 × 65536 gives <c>I32F32::MAX</c>; 65536 × −65536 gives <c>I32F32::MIN</c>.</example>
val saturatingMul: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>a / b</c>: <c>bits = (a.bits · 2^frac) / b.bits</c> with integer division <b>truncating toward
/// zero</b>.</summary>
/// <exception cref="T:System.DivideByZeroException">b is zero.</exception>
/// <exception cref="T:System.OverflowException">The quotient does not fit.</exception>
/// <example>I32F32 1 / 3 has bits 1431655765 (0.33333333325…); −1 / 3 has bits −1431655765.</example>
val div: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>checked_div</c>: truncating as <c>div</c>; <c>None</c> when b is zero <b>or</b> on overflow.</summary>
val checkedDiv: a: 'T -> b: 'T -> 'T option when 'T :> IFixed<'T>

/// <summary><c>saturating_div</c>: truncating as <c>div</c>, clamped on overflow.</summary>
/// <exception cref="T:System.DivideByZeroException">b is zero (the chain panics).</exception>
/// <example>I32F32 2^30 / 2^-32 gives <c>I32F32::MAX</c>.</example>
val saturatingDiv: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>safe_div</c> (crate safe-math): <c>checked_div(a, b).unwrap_or_default()</c> — truncating as
/// <c>div</c>, and <b>zero</b> both when b is zero and on overflow.</summary>
/// <example>I32F32 1 / 0 gives 0; I32F32 2^30 / 2^-32 (overflow) gives 0.</example>
val safeDiv: a: 'T -> b: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>-a</c>: exact.</summary>
/// <exception cref="T:System.OverflowException">a is the signed minimum, or a non-zero unsigned value.</exception>
val neg: a: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>saturating_neg</c>: −a clamped to the range (I32F32 MIN negates to MAX).</summary>
val saturatingNeg: a: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>round()</c>: nearest integer, ties <b>away from zero</b>; the result keeps the type.</summary>
/// <exception cref="T:System.OverflowException">Rounding up passes the type's maximum.</exception>
/// <example>2.5 rounds to 3, −2.5 to −3, 2.4999… to 2.</example>
val round: a: 'T -> 'T when 'T :> IFixed<'T>

/// <summary><c>iter().sum()</c>: plain (exact) additions from zero, in order; the empty sum is 0.</summary>
/// <exception cref="T:System.OverflowException">A partial sum does not fit.</exception>
val sum: values: seq<'T> -> 'T when 'T :> IFixed<'T>

/// <summary><c>checked_sum</c>: the sum, or <c>None</c> if a partial sum overflows; the empty sum is 0.</summary>
val checkedSum: values: seq<'T> -> 'T option when 'T :> IFixed<'T>

/// <summary>The exact value as a decimal with <paramref name="places"/> digits after the point, the last digit
/// rounded half to even. For tables and messages; never used by a rule.</summary>
/// <example><c>Fixed.toDecimalString 4 (1/3 as I32F32)</c> evaluates to <c>"0.3333"</c>.</example>
val toDecimalString: places: int -> value: 'T -> string when 'T :> IFixed<'T>
