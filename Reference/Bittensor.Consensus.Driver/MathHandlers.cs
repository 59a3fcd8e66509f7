using System.Globalization;
using System.Text.Json.Nodes;
using Bittensor.Consensus;

namespace Bittensor.Consensus.Driver;

/// <summary>The <c>math</c> handlers the Reference consensus has a public operation for: I32F32 arithmetic, the
/// exponential and the liquid-alpha sigmoid, and the u16 conversions (<c>vectors/formats/math.md</c>). The matrix
/// helpers, the weighted median and the other fixed-point types live inside the one-pass epoch and are listed in
/// <c>exclusions.json</c>.</summary>
public static class MathHandlers
{
    private static readonly Dictionary<string, Func<JsonNode, JsonNode?>> Handlers = new()
    {
        ["saturating_add"] = i => Fixed(I32F32.SaturatingAdd(Fix(i, "a"), Fix(i, "b"))),
        ["saturating_sub"] = i => Fixed(I32F32.SaturatingSub(Fix(i, "a"), Fix(i, "b"))),
        ["saturating_mul"] = i => Fixed(I32F32.SaturatingMul(Fix(i, "a"), Fix(i, "b"))),
        ["checked_mul"] = i => I32F32.TryMul(Fix(i, "a"), Fix(i, "b"), out var p) ? Fixed(p) : null,
        ["checked_div"] = i => I32F32.TryDiv(Fix(i, "a"), Fix(i, "b"), out var q) ? Fixed(q) : null,
        ["safe_div"] = i => Fixed(I32F32.SafeDiv(Fix(i, "a"), Fix(i, "b"))),
        ["exp"] = i => Transcendental.TryExp(Fix(i, "x"), out var e) ? Fixed(e) : null,
        ["safe_exp"] = i => Fixed(Transcendental.SafeExp(Fix(i, "x"))),
        ["alpha_sigmoid"] = i => Fixed(Transcendental.AlphaSigmoid(
            Fix(i, "consensus"), Fix(i, "weight"), Fix(i, "bond"), Fix(i, "alpha_low"), Fix(i, "alpha_high"), Fix(i, "steepness"))),
        ["u16_proportion_to_fixed"] = i => Fixed(Conversions.U16ProportionToFixed(VectorCodec.U16(VectorCodec.Field(i, "input", "x"), "input.x"))),
        ["fixed_proportion_to_u16"] = i => JsonValue.Create((int)Conversions.FixedProportionToU16(Fix(i, "x"))),
        ["vec_max_upscale_to_u16"] = i => new JsonArray(Conversions.VecMaxUpscaleToU16(FixVector(i, "v")).Select(u => (JsonNode)JsonValue.Create((int)u)).ToArray()),
        ["vec_u16_max_upscale_to_u16"] = i => new JsonArray(Conversions.VecU16MaxUpscaleToU16(U16s(i, "v")).Select(u => (JsonNode)JsonValue.Create((int)u)).ToArray()),
        ["check_vec_max_limited"] = i => JsonValue.Create(Conversions.CheckVecMaxLimited(U16s(i, "v"), VectorCodec.U16(VectorCodec.Field(i, "input", "max_limit"), "input.max_limit"))),
        ["compute_disabled_liquid_alpha"] = i => Fixed(Conversions.EmaAlphaOfBondsMovingAverage(
            VectorCodec.U64(VectorCodec.Field(i, "input", "bonds_moving_average"), "input.bonds_moving_average"))),
    };

    /// <summary>Whether the Reference answers this math handler.</summary>
    public static bool Supports(string handler) => Handlers.ContainsKey(handler);

    /// <summary>The output object <c>{"result": …}</c> of a math case; the result is null where the chain's operation
    /// returns <c>None</c> or <c>Err</c>.</summary>
    public static JsonObject Answer(string handler, JsonNode input) => new() { ["result"] = Handlers[handler](input) };

    private static JsonObject Fixed(I32F32 value) =>
        new() { ["bits"] = value.Bits.ToString(CultureInfo.InvariantCulture), ["type"] = "I32F32" };

    private static void RequireI32F32(JsonNode value, string path)
    {
        var type = VectorCodec.Text(VectorCodec.Field(value, path, "type"), $"{path}.type");
        if (type != "I32F32") throw new MalformedInputException($"{path}.type: the Reference consensus computes this operation in I32F32 only (got \"{type}\")");
    }

    private static I32F32 Fix(JsonNode input, string name)
    {
        var path = $"input.{name}";
        var value = VectorCodec.Field(input, "input", name);
        RequireI32F32(value, path);
        return Bits(VectorCodec.Field(value, path, "bits"), $"{path}.bits");
    }

    /// <summary>An I32F32 from its raw bits, a decimal i64.</summary>
    private static I32F32 Bits(JsonNode node, string path)
    {
        var text = VectorCodec.Text(node, path);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)
            ? new I32F32(b)
            : throw new MalformedInputException($"{path}: expected a decimal i64 (got \"{text}\")");
    }

    private static ushort[] U16s(JsonNode input, string name) =>
        VectorCodec.Array(VectorCodec.Field(input, "input", name), $"input.{name}", VectorCodec.U16);

    private static I32F32[] FixVector(JsonNode input, string name)
    {
        var path = $"input.{name}";
        var value = VectorCodec.Field(input, "input", name);
        RequireI32F32(value, path);
        return VectorCodec.Array(VectorCodec.Field(value, path, "bits"), $"{path}.bits", Bits);
    }
}
