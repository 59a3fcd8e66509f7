using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Identity;

namespace Bittensor.Chain.Rpc;

/// <summary>A JSON-RPC error: the code and message the client sees (Substrate's codes where it has one).</summary>
public sealed class RpcException(int code, string message, string? data = null) : Exception(message)
{
    public int Code { get; } = code;
    public string? Detail { get; } = data;
    public const int ParseError = -32700, InvalidRequest = -32600, MethodNotFound = -32601, InvalidParams = -32602, InvalidTransaction = 1010;
}

/// <summary>
/// JSON-RPC 2.0 over a <see cref="ChainNode"/>, independent of the transport. Method names are Substrate's where one
/// fits (<c>chain_getHeader</c>, <c>author_submitExtrinsic</c>, <c>system_accountNextIndex</c>, …) and
/// <c>subnetInfo_*</c> / <c>bittensor_*</c> for the subnet queries; <c>docs/chain.md</c> lists them all.
/// </summary>
public sealed class RpcHandler(ChainNode node, bool manualSeal)
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    public static JsonObject HeaderJson(Header h) => new()
    {
        ["parentHash"] = Hex(h.ParentHash), ["number"] = "0x" + h.Number.ToString("x", CultureInfo.InvariantCulture),
        ["stateRoot"] = Hex(h.StateRoot), ["extrinsicsRoot"] = Hex(h.ExtrinsicsRoot), ["digest"] = new JsonObject { ["logs"] = new JsonArray() },
    };

    /// <summary>Answers one request object; never throws (errors become error responses). Null for a notification.</summary>
    public JsonNode? Handle(JsonNode? request)
    {
        JsonNode? id = null;
        try
        {
            if (request is not JsonObject o) throw new RpcException(RpcException.InvalidRequest, "a request is a JSON object");
            id = o["id"]?.DeepClone();
            if (o["jsonrpc"]?.GetValueKind() != JsonValueKind.String || o["jsonrpc"]!.GetValue<string>() != "2.0")
                throw new RpcException(RpcException.InvalidRequest, "jsonrpc must be \"2.0\"");
            if (o["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String) throw new RpcException(RpcException.InvalidRequest, "method must be a string");
            var parameters = o["params"] switch
            {
                null => new JsonArray(),
                JsonArray a => a,
                _ => throw new RpcException(RpcException.InvalidParams, "params must be an array"),
            };
            var result = Call(m.GetValue<string>(), parameters);
            return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
        }
        catch (RpcException e) { return Error(id, e.Code, e.Message, e.Detail); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException or ArgumentException)
        {
            return Error(id, RpcException.InvalidParams, e.Message, null);
        }
    }

    public static JsonObject Error(JsonNode? id, int code, string message, string? data)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null) error["data"] = data;
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error };
    }

    private static JsonNode Param(JsonArray p, int index, string name) =>
        index < p.Count && p[index] is { } v ? v : throw new RpcException(RpcException.InvalidParams, $"missing parameter {index} ({name})");

    private static JsonNode? Optional(JsonArray p, int index) => index < p.Count ? p[index] : null;

    private static string Text(JsonNode node, string name) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw new RpcException(RpcException.InvalidParams, $"{name} must be a string");

    private static ulong Number(JsonNode node, string name)
    {
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<ulong>(out var n)) return n;
        if (node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is var s && s.StartsWith("0x", StringComparison.Ordinal)
            && ulong.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h)) return h;
        throw new RpcException(RpcException.InvalidParams, $"{name} must be a non-negative integer or 0x hex");
    }

    private static byte[] Bytes(JsonNode node, string name)
    {
        var text = Text(node, name);
        if (!text.StartsWith("0x", StringComparison.Ordinal) || text.Length % 2 != 0 || !text.Skip(2).All(Uri.IsHexDigit))
            throw new RpcException(RpcException.InvalidParams, $"{name} must be 0x-prefixed hex with an even number of digits");
        return Convert.FromHexString(text.AsSpan(2));
    }

    /// <summary>An account given as an SS58 address or as 0x + 64 hex digits.</summary>
    public static AccountId Account(JsonNode node, string name)
    {
        var text = Text(node, name);
        try { return text.StartsWith("0x", StringComparison.Ordinal) ? AccountId.Parse(text) : AccountId.FromPublicKey(Ss58.Decode(text).PublicKey); }
        catch (FormatException e) { throw new RpcException(RpcException.InvalidParams, $"{name}: {e.Message}"); }
    }

    private Block BlockOf(JsonNode? hash)
    {
        if (hash is null) return node.BlockAt(node.BestHeader.Number)!;
        return node.BlockByHash(Bytes(hash, "hash")) ?? throw new RpcException(RpcException.InvalidParams, $"no block with hash {Text(hash, "hash")}");
    }

    private JsonNode? Call(string method, JsonArray p)
    {
        switch (method)
        {
            case "system_name": return "bittensor-node";
            case "system_version": return typeof(RpcHandler).Assembly.GetName().Version?.ToString() ?? "0";
            case "system_chain": return node.Genesis.ChainName;
            case "system_health": return new JsonObject { ["peers"] = 0, ["isSyncing"] = false, ["shouldHavePeers"] = false };
            case "system_accountNextIndex": return node.NextIndex(Account(Param(p, 0, "account"), "account"));
            case "state_getRuntimeVersion":
                return new JsonObject { ["specName"] = "bittensor-node", ["specVersion"] = RuntimeVersion.Current.SpecVersion, ["transactionVersion"] = RuntimeVersion.Current.TransactionVersion };
            case "chain_getBlockHash":
            {
                var number = Optional(p, 0) is { } n ? Number(n, "number") : node.BestHeader.Number;
                return node.BlockAt(number) is { } b ? Hex(b.Hash()) : null;
            }
            case "chain_getFinalizedHead": return Hex(node.BestHeader.Hash());
            case "chain_getHeader": return HeaderJson(BlockOf(Optional(p, 0)).Header);
            case "chain_getBlock":
            {
                var b = BlockOf(Optional(p, 0));
                return new JsonObject
                {
                    ["block"] = new JsonObject { ["header"] = HeaderJson(b.Header), ["extrinsics"] = new JsonArray(b.Extrinsics.Select(x => (JsonNode)Hex(x)).ToArray()) },
                    ["justifications"] = null,
                };
            }
            case "author_submitExtrinsic":
                try { return node.Submit(Bytes(Param(p, 0, "extrinsic"), "extrinsic")); }
                catch (InvalidTransactionException e) { throw new RpcException(RpcException.InvalidTransaction, "Invalid Transaction", e.Message); }
            case "bittensor_extrinsicStatus":
                return node.Status(Text(Param(p, 0, "hash"), "hash")) is { } status ? JsonSerializer.SerializeToNode(status, Json) : null;
            case "bittensor_balance":
            {
                var account = Account(Param(p, 0, "account"), "account");
                return node.Read(s => s.Balance(account)).ToString(CultureInfo.InvariantCulture);
            }
            case "subnetInfo_getSubnets": return new JsonArray(node.Read(s => s.Subnets.Keys.ToArray()).Select(n => (JsonNode)(int)n).ToArray());
            case "subnetInfo_getMetagraph":
            {
                var number = Number(Param(p, 0, "netuid"), "netuid");
                var metagraph = node.Read(s => number <= ushort.MaxValue && s.Subnets.TryGetValue((ushort)number, out var subnet) ? Metagraph.Of(s, subnet) : null);
                return metagraph is null ? null : JsonSerializer.SerializeToNode(metagraph, Json);
            }
            case "engine_createBlock":
            {
                if (!manualSeal) throw new RpcException(RpcException.MethodNotFound, "engine_createBlock is available only with --manual-seal");
                var count = Optional(p, 0) is { } c ? Number(c, "count") : 1;
                if (count is 0 or > 10_000) throw new RpcException(RpcException.InvalidParams, "count must be 1 to 10000");
                var hashes = new JsonArray();
                for (ulong i = 0; i < count; i++) hashes.Add(Hex(node.ProduceBlock().Hash()));
                return hashes;
            }
            default: throw new RpcException(RpcException.MethodNotFound, $"method not found: {method}");
        }
    }
}
