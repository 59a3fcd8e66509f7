using System.Globalization;
using System.Text.Json.Nodes;

namespace Bittensor.Consensus.Driver;

/// <summary>A request or vector whose shape is wrong; the message names the JSON path.</summary>
public sealed class MalformedInputException(string message) : Exception(message);

/// <summary>Reads epoch inputs and writes epoch outputs in the vector format (<c>vectors/formats/epoch.md</c>).</summary>
public static class VectorCodec
{
    public static JsonNode Field(JsonNode? node, string path, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var value) && value is not null
            ? value
            : throw new MalformedInputException($"{path}.{name}: expected a field (it is missing or null)");

    public static string Text(JsonNode node, string path) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s
        : node is JsonValue n ? n.ToJsonString()
        : throw new MalformedInputException($"{path}: expected a number or a string of digits");

    public static ulong U64(JsonNode node, string path) =>
        ulong.TryParse(Text(node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new MalformedInputException($"{path}: expected a u64");

    public static ushort U16(JsonNode node, string path) =>
        ushort.TryParse(Text(node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new MalformedInputException($"{path}: expected a u16, 0 to 65535");

    public static short I16(JsonNode node, string path) =>
        short.TryParse(Text(node, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
        : throw new MalformedInputException($"{path}: expected an i16");

    public static int Int(JsonNode node, string path) =>
        int.TryParse(Text(node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
        : throw new MalformedInputException($"{path}: expected a non-negative integer");

    public static bool Bool(JsonNode node, string path) =>
        node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new MalformedInputException($"{path}: expected true or false");

    public static T[] Array<T>(JsonNode node, string path, Func<JsonNode, string, T> read) =>
        node is JsonArray a
            ? a.Select((item, i) => item is null ? throw new MalformedInputException($"{path}[{i}]: unexpected null") : read(item, $"{path}[{i}]")).ToArray()
            : throw new MalformedInputException($"{path}: expected an array");

    public static StoredEntry[][] Rows(JsonNode node, string path) =>
        Array(node, path, (row, p) => Array(row, p, (pair, q) =>
            pair is JsonArray { Count: 2 } a ? new StoredEntry(Int(a[0]!, $"{q}[0]"), U16(a[1]!, $"{q}[1]"))
            : throw new MalformedInputException($"{q}: expected a [uid, u16] pair")));

    public static Hyperparameters ReadHyperparameters(JsonNode node, string path)
    {
        JsonNode F(string name) => Field(node, path, name);
        string P(string name) => $"{path}.{name}";
        var era = Text(F("era"), P("era")) switch
        {
            "current" => Era.Current,
            "before_2025_10" => Era.Before2025_10,
            var other => throw new MalformedInputException($"{P("era")}: expected \"current\" or \"before_2025_10\" (got \"{other}\")"),
        };
        return new Hyperparameters(
            era, U16(F("activity_cutoff"), P("activity_cutoff")), U16(F("tempo"), P("tempo")),
            U64(F("activity_cutoff_factor_milli"), P("activity_cutoff_factor_milli")), U16(F("kappa"), P("kappa")),
            U16(F("bonds_penalty"), P("bonds_penalty")), U64(F("bonds_moving_average"), P("bonds_moving_average")),
            U16(F("max_allowed_validators"), P("max_allowed_validators")), U64(F("stake_threshold"), P("stake_threshold")),
            U64(F("tao_weight"), P("tao_weight")), Bool(F("yuma3"), P("yuma3")), Bool(F("liquid_alpha"), P("liquid_alpha")),
            U16(F("alpha_low"), P("alpha_low")), U16(F("alpha_high"), P("alpha_high")),
            I16(F("alpha_sigmoid_steepness"), P("alpha_sigmoid_steepness")), Bool(F("commit_reveal"), P("commit_reveal")));
    }

    public static EpochState ReadEpochState(JsonNode node, string path)
    {
        JsonNode F(string name) => Field(node, path, name);
        string P(string name) => $"{path}.{name}";
        ulong[] U64s(string name) => Array(F(name), P(name), U64);
        var owner = node is JsonObject o && o.TryGetPropertyValue("owner_uid", out var ownerNode) && ownerNode is not null
            ? Int(ownerNode, P("owner_uid")) : (int?)null;
        return new EpochState(
            Int(F("n"), P("n")), U64(F("block"), P("block")), U64s("last_update"), U64s("block_at_registration"),
            U64s("alpha_stake"), U64s("tao_stake"), owner, Array(F("validator_permits"), P("validator_permits"), Bool),
            Rows(F("weights"), P("weights")), Rows(F("bonds"), P("bonds")), U64s("commit_blocks"),
            U64(F("last_mechanism_step_block"), P("last_mechanism_step_block")), U64(F("rao_emission"), P("rao_emission")));
    }

    public static (Hyperparameters, EpochState) ReadEpochInput(JsonNode input) =>
        (ReadHyperparameters(Field(input, "input", "hyperparameters"), "input.hyperparameters"),
         ReadEpochState(Field(input, "input", "state"), "input.state"));

    private static JsonArray U16s(ushort[] v) => new(v.Select(x => (JsonNode)JsonValue.Create((int)x)).ToArray());
    private static JsonArray U64s(ulong[] v) => new(v.Select(x => (JsonNode)JsonValue.Create(x.ToString(CultureInfo.InvariantCulture))).ToArray());
    private static JsonArray Bools(bool[] v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());

    public static JsonObject WriteEpochOutput(EpochOutput o) => new()
    {
        ["active"] = Bools(o.Active),
        ["stake_weight"] = U16s(o.StakeWeight),
        ["consensus"] = U16s(o.Consensus),
        ["incentive"] = U16s(o.Incentive),
        ["dividends"] = U16s(o.Dividends),
        ["validator_trust"] = U16s(o.ValidatorTrust),
        ["server_emission"] = U64s(o.ServerEmission),
        ["validator_emission"] = U64s(o.ValidatorEmission),
        ["emission"] = U64s(o.Emission),
        ["new_validator_permits"] = Bools(o.NewValidatorPermits),
        ["rank"] = U16s(o.Rank),
        ["trust"] = U16s(o.Trust),
        ["pruning_score"] = U16s(o.PruningScore),
        ["bonds"] = new JsonArray(o.Bonds.Select(row => (JsonNode)new JsonArray(row.Select(e => (JsonNode)new JsonArray(JsonValue.Create(e.Uid), JsonValue.Create((int)e.Value))).ToArray())).ToArray()),
        ["stake"] = U64s(o.Stake),
    };
}
