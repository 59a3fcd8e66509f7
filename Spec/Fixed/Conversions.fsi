/// <summary>The conversions between stored integers (u16 weights, u64 amounts) and fixed-point values that the epoch
/// and weight setting use.</summary>
/// <remarks>Source: <c>pallets/subtensor/src/epoch/math.rs</c> (the functions named in each summary).</remarks>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Fixed.Conversions

/// <summary><c>u16_to_fixed</c>: the integer x as I32F32 (not a proportion).</summary>
/// <example>65535 has bits 65535 · 2^32.</example>
val u16ToFixed: x: uint16 -> I32F32

/// <summary><c>u16_proportion_to_fixed</c>: x / 65535, truncating (<c>safe_div</c>). Also how the chain reads
/// <c>Kappa</c>, <c>BondsPenalty</c> and the liquid-alpha bounds.</summary>
/// <example>65535 gives exactly 1; 32767 (default kappa) gives bits 2147450879 (0.49999237…, truncated).</example>
val u16ProportionToFixed: x: uint16 -> I32F32

/// <summary><c>fixed_to_fixed_u16_proportion</c>: x / 65535 (truncating, <c>safe_div</c>), value in, value out.</summary>
val fixedToFixedU16Proportion: x: I32F32 -> I32F32

/// <summary><c>fixed_proportion_to_u16</c>: ⌊x · 65535⌋ (saturating multiplication, floor) clamped to
/// [0, 65535].</summary>
/// <example>0.5 gives 32767; 1 gives 65535; 2 gives 65535; −0.1 gives 0.</example>
val fixedProportionToU16: x: I32F32 -> uint16

/// <summary><c>vec_fixed_proportions_to_u16</c>: <see cref="M:Bittensor.Spec.Fixed.Conversions.fixedProportionToU16"/>
/// on every entry.</summary>
val vecFixedProportionsToU16: v: I32F32[] -> uint16[]

/// <summary><c>vec_fixed64_to_fixed32</c>: I64F64 → I32F32 with <c>saturating_from_num</c> (floor, clamp).</summary>
val vecFixed64ToFixed32: v: I64F64[] -> I32F32[]

/// <summary><c>vec_fixed32_to_u64</c>: <c>saturating_to_num::&lt;u64&gt;</c> (floor, clamp) on every entry.</summary>
val vecFixed32ToU64: v: I32F32[] -> uint64[]

/// <summary><c>vec_max_upscale_to_u16</c>: scales so that the maximum becomes 65535, as the chain stores weights.</summary>
/// <remarks>
/// With m = max(v) (bits comparison) and round = ties away from zero, each result saturates to u16:
/// <list type="bullet">
/// <item>empty v → empty;</item>
/// <item>m = 0 → ⌊e · 65535⌋ (so all 0 for non-negative input);</item>
/// <item>m &gt; 32768 → round(e · (65535 / m)), the quotient first (truncating safe_div, then floor mul);</item>
/// <item>otherwise → round((e · 65535) / m), the product first (saturating mul, then truncating safe_div).</item>
/// </list>
/// The branch at 32768 keeps e · 65535 from overflowing I32F32 for large integer inputs.
/// </remarks>
/// <example>[43690; 21845] as integers give [65535; 32768].</example>
val vecMaxUpscaleToU16: v: I32F32[] -> uint16[]

/// <summary><c>vec_u16_max_upscale_to_u16</c>: <see cref="M:Bittensor.Spec.Fixed.Conversions.vecMaxUpscaleToU16"/>
/// of the u16 values read as integers. This is how <c>set_weights</c> stores weights.</summary>
/// <example>[43690; 21845] gives [65535; 32768]; [0; 0] gives [0; 0].</example>
val vecU16MaxUpscaleToU16: v: uint16[] -> uint16[]

/// <summary>The plain bonds EMA coefficient (<c>compute_disabled_liquid_alpha</c>):
/// α = 1 − I32F32(BondsMovingAverage / 10^6), where the quotient is an I64F64 <c>saturating_div</c> (truncating),
/// floored to I32F32 before the saturating subtraction.</summary>
/// <exception cref="T:System.OverflowException">The quotient exceeds the I32F32 range (a moving average above
/// 2^31 · 10^6; the chain panics).</exception>
/// <example>900000 gives bits 429496730 (= f64 0.1); 975000 gives bits 107374183, one ulp above f64 0.025, because
/// 0.975 is floored before the subtraction.</example>
val emaAlphaOfBondsMovingAverage: bondsMovingAverage: uint64 -> I32F32
