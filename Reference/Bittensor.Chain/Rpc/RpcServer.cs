using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bittensor.Chain.Rpc;

/// <summary>
/// The node's JSON-RPC endpoint on loopback: HTTP POST on <c>/</c> and WebSocket on <c>/</c> (the same URL, as Substrate
/// serves both on port 9944). A request body or WebSocket message larger than <see cref="MaxRequestBytes"/> is refused
/// (HTTP 413, or a JSON-RPC error and a close over WebSocket). Over WebSocket, <c>chain_subscribeNewHeads</c> pushes
/// <c>chain_newHead</c> notifications.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    public const int MaxRequestBytes = 1 << 20;

    private readonly WebApplication _app;
    public Uri HttpUri { get; }
    public Uri WebSocketUri => new UriBuilder(HttpUri) { Scheme = HttpUri.Scheme == "https" ? "wss" : "ws" }.Uri;

    private RpcServer(WebApplication app, Uri uri) { _app = app; HttpUri = uri; }

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port).</summary>
    public static async Task<RpcServer> StartAsync(ChainNode node, int port, bool manualSeal)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
        });
        var app = builder.Build();
        var handler = new RpcHandler(node, manualSeal);
        app.UseWebSockets();
        app.Map("/", async context =>
        {
            if (context.WebSockets.IsWebSocketRequest) await ServeWebSocket(await context.WebSockets.AcceptWebSocketAsync(), handler, node, context.RequestAborted);
            else if (HttpMethods.IsPost(context.Request.Method)) await ServeHttp(context, handler);
            else context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        });
        await app.StartAsync();
        var address = app.Urls.First();
        return new RpcServer(app, new Uri(address));
    }

    private static async Task ServeHttp(HttpContext context, RpcHandler handler)
    {
        byte[] body;
        try
        {
            if (context.Request.ContentLength > MaxRequestBytes) throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Write(context, RpcHandler.Error(null, RpcException.InvalidRequest, $"the request body exceeds {MaxRequestBytes} bytes", null));
            return;
        }
        await Write(context, Respond(handler, body));
    }

    private static Task Write(HttpContext context, JsonNode? response)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(response?.ToJsonString() ?? "");
    }

    /// <summary>One request or a batch; malformed JSON is a parse error, not a crash.</summary>
    private static JsonNode? Respond(RpcHandler handler, byte[] body)
    {
        JsonNode? parsed;
        try { parsed = JsonNode.Parse(body); }
        catch (JsonException e) { return RpcHandler.Error(null, RpcException.ParseError, $"parse error: {e.Message}", null); }
        if (parsed is JsonArray batch)
        {
            if (batch.Count == 0) return RpcHandler.Error(null, RpcException.InvalidRequest, "an empty batch", null);
            return new JsonArray(batch.Select(r => handler.Handle(r)).Where(r => r is not null).ToArray());
        }
        return handler.Handle(parsed);
    }

    private static async Task ServeWebSocket(WebSocket socket, RpcHandler handler, ChainNode node, CancellationToken aborted)
    {
        var send = new SemaphoreSlim(1, 1);
        var subscriptions = new Dictionary<string, Action<Block>>();
        async Task Send(JsonNode message)
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await send.WaitAsync(aborted);
            try { if (socket.State == WebSocketState.Open) await socket.SendAsync(bytes, WebSocketMessageType.Text, true, aborted); }
            finally { send.Release(); }
        }
        try
        {
            var buffer = new byte[64 * 1024];
            while (socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, aborted);
                    if (received.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, received.Count);
                    if (message.Length > MaxRequestBytes)
                    {
                        await Send(RpcHandler.Error(null, RpcException.InvalidRequest, $"the message exceeds {MaxRequestBytes} bytes", null));
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", aborted);
                        return;
                    }
                } while (!received.EndOfMessage);
                var body = message.ToArray();
                JsonNode? request = null;
                try { request = JsonNode.Parse(body); } catch (JsonException) { }
                var method = request is JsonObject o && o["method"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null;
                if (method == "chain_subscribeNewHeads")
                {
                    var id = Guid.NewGuid().ToString("N");
                    Action<Block> notify = block => _ = Send(new JsonObject
                    {
                        ["jsonrpc"] = "2.0", ["method"] = "chain_newHead",
                        ["params"] = new JsonObject { ["subscription"] = id, ["result"] = RpcHandler.HeaderJson(block.Header) },
                    });
                    subscriptions[id] = notify;
                    await Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request!["id"]?.DeepClone(), ["result"] = id });
                    node.NewBlock += notify;
                }
                else if (method == "chain_unsubscribeNewHeads")
                {
                    var id = request!["params"] is JsonArray { Count: > 0 } a && a[0] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
                    var removed = subscriptions.Remove(id, out var notify);
                    if (notify is not null) node.NewBlock -= notify;
                    await Send(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]?.DeepClone(), ["result"] = removed });
                }
                else if (Respond(handler, body) is { } response) await Send(response);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        finally
        {
            foreach (var notify in subscriptions.Values) node.NewBlock -= notify;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
