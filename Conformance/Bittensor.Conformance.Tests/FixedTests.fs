module Bittensor.Conformance.Tests.FixedTests

open System
open System.Numerics
open Expecto
open FsCheck
open FsCheck.FSharp
open Bittensor.Spec.Fixed
open Bittensor.Conformance.Tests.Exact

let private config = { FsCheckConfig.defaultConfig with maxTest = 2000 }
let private prop name (arb: Arbitrary<'a>) (check: 'a -> bool) = testPropertyWithConfig config name (Prop.forAll arb check)

let i32 (bits: int64) : I32F32 = { Bits = bits }
let f32 (x: float32) = BitConverter.SingleToUInt32Bits x
let f64 (x: float) = BitConverter.DoubleToUInt64Bits x

/// The expected outcome of an operation whose exact result x is rounded to r ulps by `round`: the value when it fits,
/// otherwise overflow.
let private expectRounded<'T when 'T :> IFixed<'T>> (rounded: BigInteger) =
    if 'T.Format.Fits rounded then Value('T.OfBitsUnchecked rounded) else Overflow

/// Properties that pin every arithmetic operation of one fixed-point type to exact rational arithmetic.
let arithmeticProperties<'T when 'T :> IFixed<'T> and 'T: equality> : Test =
    let f = 'T.Format
    let pair = Arb.fromGen (Gen.two Generators.fixedOf<'T>)
    let single = Arb.fromGen Generators.fixedOf<'T>
    let clampTo (x: BigInteger) : 'T = 'T.OfBitsUnchecked(f.Clamp x)
    testList f.Name [
        prop "mul floors the exact product; checked and saturating agree with it" pair (fun (a, b) ->
            let exact = Exact.mul (ofFixed a) (ofFixed b)
            match outcome (fun () -> Fixed.mul a b) with
            | Value r ->
                isFloorInUlps f exact (Fixed.bits r) && Fixed.checkedMul a b = Some r && Fixed.saturatingMul a b = r
            | Overflow ->
                // the floor is outside the range exactly when the product is below MIN or at/above MAX + 1 ulp
                (compare exact (ulps f f.MinBits) < 0 || compare exact (ulps f (f.MaxBits + 1I)) >= 0)
                && Fixed.checkedMul a b = None
                && Fixed.saturatingMul a b = clampTo (if exact.Num.Sign > 0 then f.MaxBits else f.MinBits)
            | DivideByZero -> false)
        prop "div truncates the exact quotient toward zero; safe_div gives 0 on zero and overflow" pair (fun (a, b) ->
            match outcome (fun () -> Fixed.div a b) with
            | DivideByZero ->
                Fixed.bits b = 0I && Fixed.checkedDiv a b = None && Fixed.bits (Fixed.safeDiv a b) = 0I
            | Value r ->
                isTruncInUlps f (Exact.div (ofFixed a) (ofFixed b)) (Fixed.bits r)
                && Fixed.checkedDiv a b = Some r && Fixed.safeDiv a b = r && Fixed.saturatingDiv a b = r
            | Overflow ->
                let exact = Exact.div (ofFixed a) (ofFixed b)
                (compare exact (ulps f (f.MinBits - 1I)) <= 0 || compare exact (ulps f (f.MaxBits + 1I)) >= 0)
                && Fixed.checkedDiv a b = None
                && Fixed.bits (Fixed.safeDiv a b) = 0I
                && Fixed.saturatingDiv a b = clampTo (if exact.Num.Sign > 0 then f.MaxBits else f.MinBits))
        prop "add and sub are exact; saturating variants clamp" pair (fun (a, b) ->
            let sum = Fixed.bits a + Fixed.bits b
            let difference = Fixed.bits a - Fixed.bits b
            outcome (fun () -> Fixed.add a b) = expectRounded sum
            && outcome (fun () -> Fixed.sub a b) = expectRounded difference
            && Fixed.saturatingAdd a b = clampTo sum
            && Fixed.saturatingSub a b = clampTo difference
            && Fixed.checkedAdd a b = (if f.Fits sum then Some(clampTo sum) else None))
        prop "round goes to the nearest integer, ties away from zero" single (fun a ->
            let x = ofFixed a
            match outcome (fun () -> Fixed.round a) with
            | Value r ->
                let rb = Fixed.bits r
                let distance = Exact.add (ofFixed r) (rational -x.Num x.Den)
                // d = 2(r − x) lies in [−1, 1]; d = ±1 is a tie, which must move away from zero.
                let d = Exact.mul distance (ofInt 2I)
                let roundedUpTie = compare d (ofInt 1I) = 0
                let roundedDownTie = compare d (ofInt -1I) = 0
                rb % f.OneBits = 0I
                && compare d (ofInt 1I) <= 0 && compare d (ofInt -1I) >= 0
                && (not roundedUpTie || x.Num.Sign > 0)
                && (not roundedDownTie || x.Num.Sign < 0)
            | Overflow -> Fixed.bits a > f.MaxBits - f.OneBits / 2I
            | DivideByZero -> false)
        prop "floorToInteger is the floor; saturating u16 and u64 clamp it" single (fun a ->
            let n = Fixed.floorToInteger a
            let x = ofFixed a
            compare (ofInt n) x <= 0 && compare x (ofInt (n + 1I)) < 0
            && BigInteger(Fixed.saturatingToUInt16 a) = BigInteger.Clamp(n, 0I, 65535I)
            && BigInteger(Fixed.saturatingToUInt64 a) = BigInteger.Clamp(n, 0I, BigInteger UInt64.MaxValue))
        prop "ofInteger is exact; the saturating variant clamps" (Arb.fromGen (Gen.choose64 (Int64.MinValue, Int64.MaxValue))) (fun n ->
            let n = BigInteger n
            let expected = n * f.OneBits
            outcome (fun () -> Fixed.ofInteger<'T> n) = expectRounded expected
            && Fixed.saturatingOfInteger<'T> n = clampTo expected)
        prop "ofF64Bits rounds to nearest, ties to even (checked against hardware doubles)" (Arb.fromGen Generators.f64Bits) (fun raw ->
            let x = BitConverter.UInt64BitsToDouble raw
            let actual = outcome (fun () -> Fixed.ofF64Bits<'T> raw)
            if Double.IsNaN x || Double.IsInfinity x then actual = Overflow
            else
                // Scaling by 2^frac is exact in binary64 here, and rounding a double to an integer is exact.
                let scaled = Math.ScaleB(x, f.FractionBits)
                if Double.IsInfinity scaled then actual = Overflow
                else actual = expectRounded (BigInteger(Math.Round(scaled, MidpointRounding.ToEven))))
        prop "ofF32Bits rounds the binary32 value to nearest, ties to even" (Arb.fromGen Generators.f32Bits) (fun raw ->
            let x = float (BitConverter.UInt32BitsToSingle raw)
            let actual = outcome (fun () -> Fixed.ofF32Bits<'T> raw)
            if Double.IsNaN x || Double.IsInfinity x then actual = Overflow
            else actual = expectRounded (BigInteger(Math.Round(Math.ScaleB(x, f.FractionBits), MidpointRounding.ToEven))))
        prop "saturating float conversion clamps infinities and out-of-range values" (Arb.fromGen Generators.f64Bits) (fun raw ->
            let x = BitConverter.UInt64BitsToDouble raw
            match outcome (fun () -> Fixed.saturatingOfF64Bits<'T> raw) with
            | Value v when Double.IsInfinity x -> Fixed.bits v = (if x > 0.0 then f.MaxBits else f.MinBits)
            | Value v ->
                match outcome (fun () -> Fixed.ofF64Bits<'T> raw) with
                | Value exact -> v = exact
                | _ -> Fixed.bits v = f.MaxBits || Fixed.bits v = f.MinBits
            | Overflow -> Double.IsNaN x
            | DivideByZero -> false)
    ]

/// Fixed-to-fixed conversion floors and the saturating variant clamps, for one source/target pair.
let conversionProperty<'S, 'D when 'S :> IFixed<'S> and 'D :> IFixed<'D> and 'D: equality> : Test =
    prop $"{'S.Format.Name} → {'D.Format.Name} floors; saturating clamps" (Arb.fromGen Generators.fixedOf<'S>) (fun s ->
        let fd = 'D.Format
        let x = ofFixed s
        let expectedFloor = Rounding.floorDiv (x.Num * fd.OneBits) x.Den
        isFloorInUlps fd x expectedFloor
        && outcome (fun () -> Fixed.convert<'S, 'D> s) = expectRounded<'D> expectedFloor
        && Fixed.bits (Fixed.saturatingConvert<'S, 'D> s) = fd.Clamp expectedFloor)

[<Tests>]
let tests =
    testList "fixed point" [
        testList "known answers" [
            test "f32 0.1 gives I32F32 bits 429496736, f64 0.1 gives 429496730" {
                Expect.equal (Fixed.ofF32Bits<I32F32> (f32 0.1f)).Bits 429496736L "f32 0.1 is 0.100000001490116… before rounding"
                Expect.equal (Fixed.ofF64Bits<I32F32> (f64 0.1)).Bits 429496730L "f64 0.1"
            }
            test "one third truncates toward zero on both signs" {
                let third = Fixed.div I32F32.One (Fixed.ofInteger 3I)
                Expect.equal third.Bits 1431655765L "1/3"
                Expect.equal (Fixed.div (Fixed.ofInteger -1I) (Fixed.ofInteger<I32F32> 3I)).Bits -1431655765L "-1/3 truncates toward zero"
            }
            test "multiplication floors toward minus infinity" {
                Expect.equal (Fixed.mul (i32 1L) (i32 1L)).Bits 0L "2^-64 floors to 0"
                Expect.equal (Fixed.mul (i32 -1L) (i32 1L)).Bits -1L "-2^-64 floors to -2^-32"
            }
            test "I64F64 → I32F32 floors negative values" {
                let tiny: I64F64 = Fixed.ofBits -1I
                Expect.equal (Fixed.convert<I64F64, I32F32> tiny).Bits -1L "-2^-64 floors to -2^-32"
            }
            test "safe_div is zero on division by zero and on overflow" {
                Expect.equal (Fixed.safeDiv I32F32.One I32F32.Zero) I32F32.Zero "1/0"
                Expect.equal (Fixed.safeDiv (Fixed.ofInteger 1073741824I) (i32 1L)) I32F32.Zero "2^30 / 2^-32 overflows"
                Expect.equal (Fixed.saturatingDiv (Fixed.ofInteger 1073741824I) (i32 1L)) I32F32.MaxValue "saturating_div clamps"
            }
            test "plain from_num of u32::MAX into I32F32 overflows, the saturating one clamps" {
                Expect.throwsT<OverflowException> (fun () -> Fixed.ofInteger<I32F32> 4294967295I |> ignore) "from_num panics"
                Expect.equal (Fixed.saturatingOfInteger<I32F32> 4294967295I) I32F32.MaxValue "saturating_from_num"
            }
            test "round is half away from zero" {
                let half = Fixed.ofF64Bits<I32F32> (f64 2.5)
                Expect.equal (Fixed.round half) (Fixed.ofInteger 3I) "2.5 → 3"
                Expect.equal (Fixed.round (-half)) (Fixed.ofInteger -3I) "-2.5 → -3"
            }
            test "NaN has no fixed-point value, even saturating" {
                Expect.throwsT<OverflowException> (fun () -> Fixed.saturatingOfF64Bits<I32F32> (f64 Double.NaN) |> ignore) "NaN"
            }
            test "decimal display rounds half to even at the last place" {
                Expect.equal (Fixed.toDecimalString 4 (Fixed.div I32F32.One (Fixed.ofInteger 3I))) "0.3333" "1/3"
                Expect.equal (Fixed.toDecimalString 1 (Fixed.ofF64Bits<I32F32> (f64 -0.25))) "-0.2" "-0.25 → -0.2 (half to even)"
                Expect.equal (Fixed.toDecimalString 0 (Fixed.ofInteger<I32F32> 7I)) "7" "integer"
            }
            test "checked_sum is None on overflow and 0 when empty" {
                Expect.equal (Fixed.checkedSum ([]: I32F32 list)) (Some I32F32.Zero) "empty"
                Expect.equal (Fixed.checkedSum [ I32F32.MaxValue; I32F32.One ]) None "overflow"
            }
        ]
        testList "exact rational properties" [
            arithmeticProperties<I32F32>
            arithmeticProperties<I64F64>
            arithmeticProperties<I96F32>
            arithmeticProperties<U64F64>
            arithmeticProperties<U96F32>
            arithmeticProperties<I110F18>
        ]
        testList "fixed-to-fixed conversions" [
            conversionProperty<I64F64, I32F32>
            conversionProperty<I32F32, I64F64>
            conversionProperty<I96F32, U96F32>
            conversionProperty<U64F64, I32F32>
            conversionProperty<I32F32, U64F64>
            conversionProperty<U96F32, I96F32>
            conversionProperty<I110F18, I96F32>
            conversionProperty<U96F32, I110F18>
        ]
    ]
