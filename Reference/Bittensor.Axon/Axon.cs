using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bittensor.Axon;

/// <summary>The blacklist's answer: refuse the caller (HTTP 403) and why.</summary>
public readonly record struct BlacklistVerdict(bool Blacklisted, string Reason)
{
    public static readonly BlacklistVerdict Allowed = new(false, "");
    public static BlacklistVerdict Refuse(string reason) => new(true, reason);
}

/// <summary>Settings of an <see cref="Axon"/>.</summary>
public sealed record AxonOptions
{
    public IPAddress Ip { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    /// <summary>Request bodies above this are refused with 413 before they are read in full.</summary>
    public long MaxBodyBytes { get; init; } = 4 << 20;
    /// <summary>Forwards running at once (the SDK's <c>max_workers</c>, default 10).</summary>
    public int MaxConcurrentForwards { get; init; } = 10;
    /// <summary>Requests that may wait for a forward slot; more are refused with 503.</summary>
    public int MaxQueuedForwards { get; init; } = 256;
    /// <summary>The <c>version_as_int</c> the axon reports.</summary>
    public long Version { get; init; } = AxonVersion.Current;
}

/// <summary>The version this implementation reports on the wire: the SDK version whose protocol it follows.</summary>
public static class AxonVersion
{
    public const string Text = "10.2.0";
    public static readonly long Current = Wire.VersionAsInt(Text)!.Value;
}

/// <summary>
/// A neuron's server (bittensor's <c>axon</c>): one route per attached synapse class, <c>POST</c> or <c>GET</c>
/// <c>/{ClassName}</c>, plus <c>/Synapse</c> (a ping). Every request goes through, in the SDK's order: parse the headers
/// (400; unknown route 404; body over <see cref="AxonOptions.MaxBodyBytes"/> 413), blacklist on the header data (403),
/// verify (401: the sr25519 signature is always required, then the nonce rule), wait for a forward slot by priority
/// (408 when none frees up within the synapse's timeout, 503 when the queue is full), parse the body and check its hash
/// against the signed header (400), forward (500 on an exception, 408 past the timeout), and answer 200 with the
/// synapse. Refused requests never reach the forward function.
/// </summary>
public sealed class Axon : IAsyncDisposable
{
    private sealed record Route(Type Type, Func<Synapse, CancellationToken, Task<Synapse>> Forward, Func<Synapse, BlacklistVerdict> Blacklist,
        Func<Synapse, double> Priority, Action<Synapse>? Verify);

    private readonly Sr25519KeyPair _hotkey;
    private readonly Dictionary<string, Route> _routes = new(StringComparer.Ordinal);
    /// <summary>The last accepted nonce per "{dendrite hotkey}:{dendrite uuid}" (never pruned, as in the SDK).</summary>
    private readonly Dictionary<string, long> _lastNonce = new(StringComparer.Ordinal);
    private readonly PriorityGate _gate;
    private WebApplication? _app;

    public AxonOptions Options { get; }
    /// <summary>This axon's hotkey (SS58).</summary>
    public string Hotkey { get; }
    /// <summary>Fixed per axon object, as the SDK's <c>uuid1</c>.</summary>
    public string Uuid { get; } = Guid.NewGuid().ToString();
    /// <summary>Where it listens, once started.</summary>
    public IPEndPoint? EndPoint { get; private set; }
    /// <summary>Forward failures and other server-side detail a 500 does not tell the caller.</summary>
    public event Action<string>? Log;

    public Axon(Sr25519KeyPair hotkey, AxonOptions? options = null)
    {
        _hotkey = hotkey;
        Hotkey = Ss58.Encode(hotkey.PublicKey);
        Options = options ?? new AxonOptions();
        _gate = new PriorityGate(Options.MaxConcurrentForwards, Options.MaxQueuedForwards);
        Attach<Ping>((s, _) => Task.FromResult(s));
    }

    /// <summary>Requests waiting for a forward slot.</summary>
    public int WaitingForwards => _gate.Waiting;

    /// <summary>Serves <typeparamref name="T"/> at <c>/{T's name}</c>. Without a blacklist every caller with a valid
    /// signature is served; without a priority all wait alike; <paramref name="verify"/> runs after the default
    /// verifier (signature and nonce) and refuses by throwing.</summary>
    public Axon Attach<T>(Func<T, CancellationToken, Task<T>> forward, Func<T, BlacklistVerdict>? blacklist = null, Func<T, double>? priority = null, Action<T>? verify = null)
        where T : Synapse, new()
    {
        if (_app is not null) throw new InvalidOperationException("attach synapses before the axon starts");
        _routes[new T().Name] = new Route(typeof(T), async (s, c) => await forward((T)s, c),
            s => blacklist?.Invoke((T)s) ?? BlacklistVerdict.Allowed, s => priority?.Invoke((T)s) ?? 0, verify is null ? null : s => verify((T)s));
        return this;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(Options.Ip, Options.Port);
            k.Limits.MaxRequestBodySize = Options.MaxBodyBytes;
        });
        var app = builder.Build();
        app.Run(Serve);
        await app.StartAsync();
        _app = app;
        var uri = new Uri(app.Urls.First());
        EndPoint = new IPEndPoint(Options.Ip, uri.Port);
    }

    private async Task Serve(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var request = context.Request;
        var name = request.Path.Value?.Trim('/').Split('/')[0] ?? "";
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsGet(request.Method))
        {
            await Refuse(context, null, StatusCodes.Status405MethodNotAllowed, $"method {request.Method} is not allowed; use POST");
            return;
        }
        if (!_routes.TryGetValue(name, out var route))
        {
            await Refuse(context, null, StatusCodes.Status404NotFound, $"Synapse name '{name}' not found. Available synapses {Wire.Repr(new JsonArray(_routes.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray()))}");
            return;
        }
        var synapse = (Synapse)Activator.CreateInstance(route.Type)!;
        // 1. preprocess: the synapse from headers alone, the caller's address, this axon's terminal info and signature
        try { synapse.ReadHeaders(request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))); }
        catch (FormatException e)
        {
            await Refuse(context, synapse, StatusCodes.Status400BadRequest, $"Bad Request: {e.Message}");
            return;
        }
        synapse.Dendrite.Ip = context.Connection.RemoteIpAddress?.ToString();
        synapse.Dendrite.Port = context.Connection.RemotePort;
        synapse.Axon.Version = Options.Version;
        synapse.Axon.Uuid = Uuid;
        synapse.Axon.Hotkey = Hotkey;
        synapse.Axon.Nonce = Wire.NowNs();
        synapse.Axon.StatusCode = 100;
        synapse.Axon.Signature = "0x" + Convert.ToHexStringLower(_hotkey.Sign(Encoding.UTF8.GetBytes(
            Wire.ResponseMessage(synapse.Axon.Nonce.Value, synapse.Dendrite.Hotkey ?? "", Hotkey, Uuid))));
        if (request.ContentLength > Options.MaxBodyBytes)
        {
            await Refuse(context, synapse, StatusCodes.Status413PayloadTooLarge, $"the body is {request.ContentLength} bytes; this axon accepts at most {Options.MaxBodyBytes}");
            return;
        }
        // 2. blacklist, on the header data
        BlacklistVerdict verdict;
        try { verdict = route.Blacklist(synapse); }
        catch (Exception e) { await Fail(context, synapse, "blacklist", e); return; }
        if (verdict.Blacklisted)
        {
            await Refuse(context, synapse, StatusCodes.Status403Forbidden, $"Forbidden. Key is blacklisted: {verdict.Reason}.");
            return;
        }
        // 3. verify: signature (always required) and nonce, then the route's own check
        if (VerifyRequest(synapse) is { } problem)
        {
            await Refuse(context, synapse, StatusCodes.Status401Unauthorized, $"Not Verified with error: {problem}");
            return;
        }
        if (route.Verify is { } verify)
        {
            try { verify(synapse); }
            catch (Exception e)
            {
                await Refuse(context, synapse, StatusCodes.Status401Unauthorized, $"Not Verified with error: {e.Message}");
                return;
            }
        }
        // 4. priority: wait for a forward slot, highest priority first
        var budget = TimeSpan.FromSeconds(Math.Clamp(synapse.Timeout, 0.001, 3600));
        IDisposable slot;
        try { slot = await _gate.EnterAsync(route.Priority(synapse), budget, context.RequestAborted); }
        catch (TimeoutException e) { await Refuse(context, synapse, StatusCodes.Status408RequestTimeout, $"Request Timeout: {e.Message}"); return; }
        catch (QueueFullException e) { await Refuse(context, synapse, StatusCodes.Status503ServiceUnavailable, $"Service Unavailable: {e.Message}"); return; }
        catch (OperationCanceledException) { return; }
        using (slot)
        {
            // 5. the body, whose hash must be the one the dendrite signed
            Synapse body;
            try
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer, context.RequestAborted);
                body = buffer.Length == 0 ? (Synapse)Activator.CreateInstance(route.Type)! : SynapseJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), route.Type);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Refuse(context, synapse, StatusCodes.Status413PayloadTooLarge, $"the body exceeds {Options.MaxBodyBytes} bytes");
                return;
            }
            catch (JsonException e)
            {
                await Refuse(context, synapse, StatusCodes.Status400BadRequest, $"Bad Request: the body is not a valid {name}: {e.Message}");
                return;
            }
            catch (OperationCanceledException) { return; }
            string hash;
            try { hash = body.BodyHash(); }
            catch (NotSupportedException e) { await Refuse(context, synapse, StatusCodes.Status400BadRequest, $"Bad Request: {e.Message}"); return; }
            if (hash != synapse.ComputedBodyHash)
            {
                await Refuse(context, synapse, StatusCodes.Status400BadRequest,
                    $"Bad Request: the body hash is {hash} but the signed header says '{synapse.ComputedBodyHash}'");
                return;
            }
            body.Timeout = synapse.Timeout;
            body.ComputedBodyHash = synapse.ComputedBodyHash;
            body.Dendrite = synapse.Dendrite;
            body.Axon = synapse.Axon;
            // 6. forward
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(budget);
            Synapse answer;
            try { answer = await route.Forward(body, deadline.Token); }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                await Refuse(context, synapse, StatusCodes.Status408RequestTimeout, $"Request Timeout: the forward took longer than {synapse.Timeout} s");
                return;
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                await Fail(context, synapse, "forward", e);
                return;
            }
            catch (Exception) { return; }
            answer.Dendrite = synapse.Dendrite;
            answer.Axon = synapse.Axon;
            answer.Axon.StatusCode = 200;
            answer.Axon.StatusMessage = "Success";
            answer.Axon.ProcessTime = clock.Elapsed.TotalSeconds;
            await Write(context, answer, 200, answer.ToJson());
        }
    }

    /// <summary>The default verifier: a signature is required and must be the dendrite hotkey's over the request
    /// message built with this axon's hotkey; then the nonce rule. The nonce is stored only when both pass.</summary>
    private string? VerifyRequest(Synapse s)
    {
        var d = s.Dendrite;
        if (string.IsNullOrEmpty(d.Hotkey)) return "the request names no dendrite hotkey";
        if (string.IsNullOrEmpty(d.Signature)) return "the request is not signed (bt_header_dendrite_signature is missing)";
        if (d.Nonce is not { } nonce) return "the request has no nonce (bt_header_dendrite_nonce)";
        if (string.IsNullOrEmpty(d.Uuid)) return "the request has no dendrite uuid";
        byte[] signature;
        try { signature = d.Signature.StartsWith("0x", StringComparison.Ordinal) ? Convert.FromHexString(d.Signature.AsSpan(2)) : throw new FormatException(); }
        catch (FormatException) { return "the signature is not 0x followed by hex digits"; }
        if (signature.Length != 64) return $"the signature is {signature.Length} bytes; sr25519 signatures are 64";
        if (!Wire.VerifyRequest(nonce, d.Hotkey, Hotkey, d.Uuid, s.ComputedBodyHash, signature))
            return $"Signature mismatch with {Wire.RequestMessage(nonce, d.Hotkey, Hotkey, d.Uuid, s.ComputedBodyHash)} and {d.Signature}";
        var key = $"{d.Hotkey}:{d.Uuid}";
        lock (_lastNonce)
        {
            long? last = _lastNonce.TryGetValue(key, out var l) ? l : null;
            var now = Wire.NowNs();
            var timeoutNs = Wire.SecondsToNs(s.Timeout);
            switch (Wire.CheckNonce(now, timeoutNs, d.Version ?? 0, last, nonce))
            {
                case NonceRefusal.NonceTooOld:
                    return $"Nonce is too old: acceptable delta is {(Wire.AllowedDeltaNs + timeoutNs) / 1e9:0.00} seconds but request was {(now - nonce) / 1e9:0.00} seconds old";
                case NonceRefusal.NonceNotIncreasing:
                    return "Nonce is too old, a newer one was last processed";
                case NonceRefusal.NonceMissing:
                    return "the request has no nonce";
            }
            _lastNonce[key] = nonce;
        }
        return null;
    }

    private async Task Fail(HttpContext context, Synapse synapse, string stage, Exception e)
    {
        var id = Guid.NewGuid().ToString();
        Log?.Invoke($"{synapse.Name} {stage} failed (#{id}): {e}");
        await Refuse(context, synapse, StatusCodes.Status500InternalServerError, $"Internal Server Error #{id}");
    }

    private Task Refuse(HttpContext context, Synapse? synapse, int status, string message)
    {
        if (synapse is not null)
        {
            synapse.Axon.StatusCode = status;
            synapse.Axon.StatusMessage = message;
        }
        return Write(context, synapse, status, new JsonObject { ["message"] = message });
    }

    private async Task Write(HttpContext context, Synapse? synapse, int status, JsonNode body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (synapse is not null)
            foreach (var (key, value) in synapse.ToHeaders())
                response.Headers[key] = new string(value.Select(c => c is < ' ' or > '~' ? '?' : c).ToArray());  // headers are ASCII
        try { await response.WriteAsync(body.ToJsonString(), context.RequestAborted); }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
