using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Chain.Rpc;

namespace Bittensor.Chain.Client;

/// <summary>A node over JSON-RPC 2.0: requests by HTTP POST, new-head subscriptions by WebSocket. Errors the node
/// returns surface as <see cref="RpcException"/>, or <see cref="InvalidTransactionException"/> for a refused
/// extrinsic.</summary>
public sealed class JsonRpcSubtensor(Uri endpoint, HttpClient? http = null) : ISubtensor, IDisposable
{
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    private int _nextId;

    public async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken cancel = default)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method, ["params"] = parameters };
        using var response = await _http.PostAsync(endpoint, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), cancel);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancel)) ?? throw new RpcException(RpcException.ParseError, "empty response");
        if (body["error"] is JsonObject error)
        {
            var code = error["code"]?.GetValue<int>() ?? 0;
            var message = error["message"]?.GetValue<string>() ?? "";
            var data = error["data"]?.GetValue<string>();
            if (code == RpcException.InvalidTransaction && data is not null && data.IndexOf(':') is var colon and > 0)
                throw new InvalidTransactionException(data[..colon], data[(colon + 2)..]);
            throw new RpcException(code, message, data);
        }
        return body["result"];
    }

    private static byte[] Bytes(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>().AsSpan(2));

    public async Task<byte[]> GetGenesisHashAsync(CancellationToken cancel = default) => Bytes(await CallAsync("chain_getBlockHash", [0], cancel));

    public static Header ParseHeader(JsonNode node) => new(
        Bytes(node["parentHash"]), ulong.Parse(node["number"]!.GetValue<string>().AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        Bytes(node["stateRoot"]), Bytes(node["extrinsicsRoot"]));

    public async Task<Header> GetHeaderAsync(CancellationToken cancel = default) => ParseHeader((await CallAsync("chain_getHeader", [], cancel))!);

    public async Task<uint> GetAccountNextIndexAsync(AccountId account, CancellationToken cancel = default) =>
        (await CallAsync("system_accountNextIndex", [account.Ss58], cancel))!.GetValue<uint>();

    public async Task<ulong> GetBalanceAsync(AccountId account, CancellationToken cancel = default) =>
        ulong.Parse((await CallAsync("bittensor_balance", [account.Ss58], cancel))!.GetValue<string>(), CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<ushort>> GetSubnetsAsync(CancellationToken cancel = default) =>
        (await CallAsync("subnetInfo_getSubnets", [], cancel))!.AsArray().Select(n => n!.GetValue<ushort>()).ToArray();

    public async Task<Metagraph?> GetMetagraphAsync(ushort netuid, CancellationToken cancel = default) =>
        (await CallAsync("subnetInfo_getMetagraph", [(int)netuid], cancel)) is { } node ? node.Deserialize<Metagraph>(RpcHandler.Json) : null;

    public async Task<string> SubmitExtrinsicAsync(byte[] extrinsic, CancellationToken cancel = default) =>
        (await CallAsync("author_submitExtrinsic", [RpcHandler.Hex(extrinsic)], cancel))!.GetValue<string>();

    public async Task<ExtrinsicStatus?> GetExtrinsicStatusAsync(string hash, CancellationToken cancel = default) =>
        (await CallAsync("bittensor_extrinsicStatus", [hash], cancel)) is { } node ? node.Deserialize<ExtrinsicStatus>(RpcHandler.Json) : null;

    /// <summary>Produces blocks on a node started with manual seal (<c>engine_createBlock</c>).</summary>
    public async Task CreateBlocksAsync(int count, CancellationToken cancel = default) => await CallAsync("engine_createBlock", [count], cancel);

    /// <summary>New heads as the node imports them, over a WebSocket at the same address.</summary>
    public async IAsyncEnumerable<Header> SubscribeNewHeadsAsync([EnumeratorCancellation] CancellationToken cancel = default)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(endpoint) { Scheme = endpoint.Scheme == "https" ? "wss" : "ws" }.Uri, cancel);
        var subscribe = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "chain_subscribeNewHeads", ["params"] = new JsonArray() };
        await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe.ToJsonString()), WebSocketMessageType.Text, true, cancel);
        var buffer = new byte[64 * 1024];
        while (!cancel.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, cancel);
                if (received.MessageType == WebSocketMessageType.Close) yield break;
                message.Write(buffer, 0, received.Count);
            } while (!received.EndOfMessage);
            var node = JsonNode.Parse(message.ToArray());
            if (node?["method"]?.GetValue<string>() == "chain_newHead") yield return ParseHeader(node["params"]!["result"]!);
        }
    }

    public void Dispose() => _http.Dispose();
}
