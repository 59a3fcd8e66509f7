/// <summary>The exponential and the sigmoids the chain computes in <c>I32F32</c>.</summary>
/// <remarks>Source: <c>substrate_fixed::transcendental::exp</c> (v0.6.0) and <c>exp_safe</c>, <c>safe_exp</c>,
/// <c>sigmoid_safe</c> in <c>pallets/subtensor/src/epoch/math.rs</c>; <c>alpha_sigmoid</c> in
/// <c>epoch/run_epoch.rs</c>.</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Transcendental

/// <summary>The crate's <c>E</c>: an <c>I9F23</c> constant (only 23 fraction bits:
/// <c>0xADF85458A2BB4A9AAFDC5620273D3CF1 &gt;&gt; 103</c>) widened exactly to I32F32.</summary>
/// <example>Its I32F32 bits are 11674931200 (2.71828174591…, not the nearest I32F32 to e).</example>
val e: I32F32

/// <summary><c>exp::&lt;I32F32, I32F32&gt;(x)</c>: the crate's truncated Taylor series, <c>None</c> for its
/// <c>Err(())</c>.</summary>
/// <remarks>
/// <para>x = 0 gives exactly 1; x = 1 gives <see cref="P:Bittensor.Spec.Fixed.Transcendental.e"/> (no series).
/// Otherwise, with y = |x|: result = y + 1, term = y, and for i = 2 … 31: term = checked_mul(term, y) (floor),
/// term = checked_div(term, i) (truncating), result = checked_add(result, term); any overflow gives <c>None</c>. For
/// negative x the result is checked_div(1, result) (truncating; <c>None</c> on overflow). So exp(−1) is 1/series(1),
/// not 1/e.</para>
/// <para>The series of |x| overflows (and gives <c>None</c>) once e^|x| nears 2^31, i.e. around |x| ≥ 21.5, and
/// <c>None</c> is returned for negative x too, even though e^x is tiny.</para>
/// </remarks>
/// <exception cref="T:System.OverflowException">x is <c>I32F32::MIN</c> (the crate negates it and panics) or
/// |x| + 1 overflows; the chain never calls exp with such inputs.</exception>
/// <example><c>exp (2 as I32F32)</c> has bits 31735754285 (7.38905609…).</example>
val exp: x: I32F32 -> I32F32 option

/// <summary><c>exp_safe(x)</c>: x clamped to [−20, 20], then <see cref="M:Bittensor.Spec.Fixed.Transcendental.exp"/>;
/// on <c>None</c>: 0 if the clamped x ≤ 0, else <c>I32F32::MAX</c>.</summary>
val expSafe: x: I32F32 -> I32F32

/// <summary><c>safe_exp(x)</c>: <see cref="M:Bittensor.Spec.Fixed.Transcendental.exp"/>, or 0 on <c>None</c> (no
/// clamping). Used by the liquid-alpha sigmoid.</summary>
/// <remarks>Differs from <c>expSafe</c> beyond |x| ≈ 21.5: <c>safeExp 30</c> is 0 where <c>expSafe 30</c> is
/// e^20.</remarks>
val safeExp: x: I32F32 -> I32F32

/// <summary><c>sigmoid_safe(x, ρ, κ)</c> = 1 / (1 + exp_safe(−ρ·(x − κ))) with saturating subtraction,
/// multiplication and addition, and <c>safe_div</c> for the final quotient.</summary>
/// <example><c>sigmoidSafe κ ρ κ</c> is 1/(1+1) = bits 2147483648 (exactly 0.5).</example>
val sigmoidSafe: x: I32F32 -> rho: I32F32 -> kappa: I32F32 -> I32F32

/// <summary>The liquid-alpha EMA coefficient for one bond (<c>alpha_sigmoid</c>, Yuma 3).</summary>
/// <remarks>
/// <code>
/// buy   = clamp(w − c, 0, 1)             (saturating_sub, then min 1, max 0)
/// sell  = clamp(b − w, 0, 1)
/// d     = buy if w ≥ b else sell
/// x     = (k saturating_div −100) saturating_mul (d saturating_sub 0.5)
/// sig   = 1 saturating_div (1 saturating_add safe_exp(x))
/// α     = clamp(lo saturating_add sig saturating_mul (hi saturating_sub lo), lo, hi)
/// </code>
/// The chain uses <c>safe_exp</c> here (0 on overflow, no clamping), not <c>exp_safe</c>: with a steepness above
/// about 4300 an overflowing exponent gives sig = 1 instead of ≈ 0.
/// </remarks>
/// <param name="consensus">c, the column's consensus weight.</param>
/// <param name="weight">w, the validator's weight for bonds.</param>
/// <param name="bond">b, the validator's current bond.</param>
/// <param name="alphaLow">lo, <c>AlphaValues.0 / 65535</c>.</param>
/// <param name="alphaHigh">hi, <c>AlphaValues.1 / 65535</c>.</param>
/// <param name="steepness">k, <c>AlphaSigmoidSteepness</c> as an integer I32F32.</param>
val alphaSigmoid:
    consensus: I32F32 -> weight: I32F32 -> bond: I32F32 -> alphaLow: I32F32 -> alphaHigh: I32F32 -> steepness: I32F32 ->
        I32F32
