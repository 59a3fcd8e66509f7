using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Bittensor.Axon;

/// <summary>One side of an exchange (bittensor's <c>TerminalInfo</c>): every field optional on the wire.</summary>
public sealed class TerminalInfo
{
    public int? StatusCode { get; set; }
    public string? StatusMessage { get; set; }
    /// <summary>Seconds.</summary>
    public double? ProcessTime { get; set; }
    public string? Ip { get; set; }
    public int? Port { get; set; }
    /// <summary>The SDK's <c>version_as_int</c>.</summary>
    public long? Version { get; set; }
    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long? Nonce { get; set; }
    public string? Uuid { get; set; }
    /// <summary>SS58 address.</summary>
    public string? Hotkey { get; set; }
    /// <summary><c>0x</c> + 64 bytes of hex.</summary>
    public string? Signature { get; set; }

    internal static readonly (string Name, PropertyInfo Property)[] Fields =
        typeof(TerminalInfo).GetProperties().Select(p => (JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p)).ToArray();

    public TerminalInfo Clone() => (TerminalInfo)MemberwiseClone();
}

/// <summary>
/// A request and its response in one object, as bittensor's pydantic <c>Synapse</c>. The route is the class name; the
/// body is the JSON of every property (snake_case); <see cref="RequiredHashFields"/> names the properties covered by the
/// body hash, and so by the dendrite's signature. Subclasses add their own request and response properties.
/// </summary>
public abstract class Synapse
{
    /// <summary>The route: the class name, as the SDK's validator forces it.</summary>
    public virtual string Name => GetType().Name;
    /// <summary>The dendrite's total budget for the exchange, in seconds.</summary>
    public double Timeout { get; set; } = 12.0;
    public long TotalSize { get; set; }
    public long HeaderSize { get; set; }
    public TerminalInfo Dendrite { get; set; } = new();
    public TerminalInfo Axon { get; set; } = new();
    public string ComputedBodyHash { get; set; } = "";

    /// <summary>The properties (snake_case names) the body hash covers, in order.</summary>
    [JsonIgnore] public virtual IReadOnlyList<string> RequiredHashFields => [];

    /// <summary>The JSON the SDK's <c>model_dump()</c> would give.</summary>
    public JsonObject ToJson() => (JsonObject)JsonSerializer.SerializeToNode(this, GetType(), SynapseJson.Options)!;

    /// <summary>The body hash of this synapse's required hash fields as they are now.</summary>
    public string BodyHash()
    {
        var json = ToJson();
        return Wire.BodyHash(RequiredHashFields.Select(f => json.TryGetPropertyValue(f, out var v) ? v : throw new InvalidOperationException($"{Name} lists '{f}' as a hash field but has no such property")));
    }

    /// <summary>The headers of the wire (<c>to_headers()</c>): name, timeout, sizes, body hash and every non-null
    /// terminal field as <c>bt_header_axon_*</c> / <c>bt_header_dendrite_*</c>.</summary>
    public Dictionary<string, string> ToHeaders()
    {
        var headers = new Dictionary<string, string>
        {
            ["name"] = Name,
            ["timeout"] = Wire.PyFloat(Timeout),
            ["header_size"] = HeaderSize.ToString(CultureInfo.InvariantCulture),
            ["total_size"] = TotalSize.ToString(CultureInfo.InvariantCulture),
            ["computed_body_hash"] = ComputedBodyHash,
        };
        foreach (var (side, info) in new[] { ("axon", Axon), ("dendrite", Dendrite) })
            foreach (var (field, property) in TerminalInfo.Fields)
                if (property.GetValue(info) is { } value)
                    headers[$"bt_header_{side}_{field}"] = value is double d ? Wire.PyFloat(d) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        return headers;
    }

    /// <summary>Fills the terminal infos, timeout, sizes and body hash from headers (<c>from_headers</c>); unknown
    /// headers are ignored. Throws <see cref="FormatException"/> naming the header that does not parse.</summary>
    public void ReadHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (rawKey, value) in headers)
        {
            var key = rawKey.ToLowerInvariant();
            switch (key)
            {
                case "timeout": Timeout = ParseDouble(key, value); continue;
                case "header_size": HeaderSize = (long)ParseDouble(key, value); continue;
                case "total_size": TotalSize = (long)ParseDouble(key, value); continue;
                case "computed_body_hash": ComputedBodyHash = value; continue;
            }
            var (info, prefix) = key.StartsWith("bt_header_axon_", StringComparison.Ordinal) ? (Axon, "bt_header_axon_")
                : key.StartsWith("bt_header_dendrite_", StringComparison.Ordinal) ? (Dendrite, "bt_header_dendrite_") : (null, "");
            if (info is null) continue;
            var name = key[prefix.Length..];
            var property = TerminalInfo.Fields.FirstOrDefault(f => f.Name == name).Property;
            if (property is null) continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object parsed = type == typeof(string) ? value
                : type == typeof(double) ? ParseDouble(key, value)
                : type == typeof(int) ? (int)ParseDouble(key, value)
                : (object)ParseLong(key, value);
            property.SetValue(info, parsed);
        }
    }

    private static double ParseDouble(string header, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : throw new FormatException($"header '{header}' is not a number: '{value}'");

    private static long ParseLong(string header, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : throw new FormatException($"header '{header}' is not an integer: '{value}'");
}

/// <summary>The base class as a route of its own: every axon answers it (a ping that returns its input).</summary>
public sealed class Ping : Synapse
{
    public override string Name => "Synapse";
}

/// <summary>The JSON settings of synapse bodies: snake_case, numbers also read from strings (pydantic coerces them).</summary>
public static class SynapseJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        AllowOutOfOrderMetadataProperties = true,
    };

    /// <summary>Parses a body into <paramref name="type"/>; throws <see cref="JsonException"/> with the path on bad input.</summary>
    public static Synapse Parse(ReadOnlySpan<byte> body, Type type) =>
        (Synapse?)JsonSerializer.Deserialize(body, type, Options) ?? throw new JsonException("the body is JSON null, not a synapse");
}
