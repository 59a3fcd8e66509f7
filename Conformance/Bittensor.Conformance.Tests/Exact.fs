/// Exact rational arithmetic used as the oracle the fixed-point layer is checked against. Independent of the spec's
/// own rounding code: every rounding rule is checked by its defining inequality, not by re-running the same formula.
module Bittensor.Conformance.Tests.Exact

open System.Numerics
open Bittensor.Spec.Fixed

/// A rational number n / d with d > 0.
[<Struct>]
type Rational = { Num: BigInteger; Den: BigInteger }

let rational (n: BigInteger) (d: BigInteger) = if d.Sign < 0 then { Num = -n; Den = -d } else { Num = n; Den = d }
let ofFixed<'T when 'T :> IFixed<'T>> (v: 'T) = rational (Fixed.bits v) 'T.Format.OneBits
let mul (a: Rational) (b: Rational) = rational (a.Num * b.Num) (a.Den * b.Den)
let div (a: Rational) (b: Rational) = rational (a.Num * b.Den) (a.Den * b.Num)
let add (a: Rational) (b: Rational) = rational (a.Num * b.Den + b.Num * a.Den) (a.Den * b.Den)
/// Compare two rationals: negative, zero or positive like CompareTo.
let compare (a: Rational) (b: Rational) = BigInteger.Compare(a.Num * b.Den, b.Num * a.Den)
let ofInt (n: BigInteger) = rational n 1I
/// The value of `ulps` units of 2^-frac of format f, as a rational.
let ulps (f: FixedFormat) (n: BigInteger) = rational n f.OneBits

/// True when r is the floor of x in ulps of f: r ≤ x·2^frac < r + 1.
let isFloorInUlps (f: FixedFormat) (x: Rational) (r: BigInteger) =
    compare (ulps f r) x <= 0 && compare x (ulps f (r + 1I)) < 0

/// True when r is x·2^frac truncated toward zero.
let isTruncInUlps (f: FixedFormat) (x: Rational) (r: BigInteger) =
    if x.Num.Sign >= 0 then isFloorInUlps f x r
    else compare (ulps f (r - 1I)) x < 0 && compare x (ulps f r) <= 0

/// The three possible outcomes of an operation under the plain (raising) policy.
type Outcome<'T> =
    | Value of 'T
    | Overflow
    | DivideByZero

let outcome (f: unit -> 'T) =
    try Value(f ())
    with
    | :? System.OverflowException -> Overflow
    | :? System.DivideByZeroException -> DivideByZero
