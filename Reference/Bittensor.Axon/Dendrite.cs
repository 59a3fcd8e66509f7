using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Identity;

namespace Bittensor.Axon;

/// <summary>Where to reach a neuron: its axon's address and hotkey (SS58), as the metagraph lists them.</summary>
public sealed record AxonEndpoint(string Ip, int Port, string Hotkey);

/// <summary>
/// A neuron's client (bittensor's <c>dendrite</c>): signs each request with its hotkey and posts it to
/// <c>http://{ip}:{port}/{SynapseName}</c>. The result is always a synapse: on success the axon's answer, otherwise the
/// request with <c>Dendrite.StatusCode</c> and <c>StatusMessage</c> saying what happened, with the SDK's codes
/// (503 unreachable, 408 timeout, 422 unreadable answer, or the axon's own refusal code).
/// </summary>
public sealed class Dendrite : IDisposable
{
    private readonly Sr25519KeyPair _hotkey;
    private readonly HttpClient _http;
    private long _lastNonce;

    /// <summary>This dendrite's hotkey (SS58).</summary>
    public string Hotkey { get; }
    /// <summary>Fixed per dendrite object, as the SDK's <c>uuid1</c>; the axon keys nonces by (hotkey, uuid).</summary>
    public string Uuid { get; } = Guid.NewGuid().ToString();
    /// <summary>Answers larger than this are not read (status 422).</summary>
    public long MaxResponseBytes { get; init; } = 16 << 20;
    /// <summary>The IP this dendrite reports as its own.</summary>
    public string ExternalIp { get; init; } = "127.0.0.1";

    public Dendrite(Sr25519KeyPair hotkey)
    {
        _hotkey = hotkey;
        Hotkey = Ss58.Encode(hotkey.PublicKey);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 64 })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Queries every axon in parallel with a copy of <paramref name="synapse"/>; answers in the same order.</summary>
    public Task<T[]> ForwardAsync<T>(IEnumerable<AxonEndpoint> axons, T synapse, TimeSpan timeout, CancellationToken cancel = default) where T : Synapse =>
        Task.WhenAll(axons.Select(a => CallAsync(a, synapse, timeout, cancel)));

    /// <summary>Queries one axon with a copy of <paramref name="synapse"/> (the argument is not changed).</summary>
    public async Task<T> CallAsync<T>(AxonEndpoint axon, T synapse, TimeSpan timeout, CancellationToken cancel = default) where T : Synapse
    {
        var clock = Stopwatch.StartNew();
        var request = Copy(synapse);
        Sign(request, axon, timeout);
        T result = request;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(timeout);
            using var message = new HttpRequestMessage(HttpMethod.Post, $"http://{Host(axon.Ip)}:{axon.Port}/{request.Name}")
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), SynapseJson.Options)),
            };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            foreach (var (key, value) in request.ToHeaders()) message.Headers.TryAddWithoutValidation(key, value);
            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var body = await ReadLimited(response, deadline.Token);
                var status = (int)response.StatusCode;
                if (status == 200)
                {
                    result = (T)SynapseJson.Parse(body, request.GetType());
                    result.Dendrite = request.Dendrite;
                }
                else
                {
                    var text = TryMessage(body) ?? response.ReasonPhrase ?? "";
                    request.Axon.StatusCode = status;
                    request.Axon.StatusMessage = text;
                }
                result.ReadHeaders(response.Headers.Select(h => KeyValuePair.Create(h.Key, string.Join(",", h.Value)))
                    .Where(h => h.Key.StartsWith("bt_header_axon_", StringComparison.OrdinalIgnoreCase)));
                result.Dendrite.StatusCode = result.Axon.StatusCode ?? status;
                result.Dendrite.StatusMessage = result.Axon.StatusMessage;
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                SetStatus(result, 408, $"Request timeout after {timeout.TotalSeconds:0.###} seconds");
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError)
            {
                SetStatus(result, 503, $"Service unavailable at {axon.Ip}:{axon.Port}/{request.Name}");
            }
            catch (HttpRequestException e)
            {
                SetStatus(result, 503, $"Connection to {axon.Ip}:{axon.Port}/{request.Name} failed: {e.Message}");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or InvalidCastException)
            {
                SetStatus(result, 422, $"Failed to parse response: {e.Message}");
            }
        }
        finally
        {
            result.Dendrite.ProcessTime = clock.Elapsed.TotalSeconds;
        }
        return result;
    }

    private static void SetStatus(Synapse s, int code, string message)
    {
        s.Dendrite.StatusCode = code;
        s.Dendrite.StatusMessage = message;
    }

    /// <summary>Fills the dendrite and axon terminal infos, the body hash and the signature.</summary>
    internal void Sign(Synapse s, AxonEndpoint axon, TimeSpan timeout)
    {
        s.Timeout = timeout.TotalSeconds;
        s.Dendrite = new TerminalInfo { Ip = ExternalIp, Version = AxonVersion.Current, Nonce = NextNonce(), Uuid = Uuid, Hotkey = Hotkey };
        s.Axon = new TerminalInfo { Ip = axon.Ip, Port = axon.Port, Hotkey = axon.Hotkey };
        s.ComputedBodyHash = s.BodyHash();
        var text = Wire.RequestMessage(s.Dendrite.Nonce!.Value, Hotkey, axon.Hotkey, Uuid, s.ComputedBodyHash);
        s.Dendrite.Signature = "0x" + Convert.ToHexStringLower(_hotkey.Sign(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Wall-clock nanoseconds, strictly increasing per dendrite even when two calls share a clock tick.</summary>
    private long NextNonce()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastNonce);
            var next = Math.Max(Wire.NowNs(), last + 1);
            if (Interlocked.CompareExchange(ref _lastNonce, next, last) == last) return next;
        }
    }

    private static T Copy<T>(T synapse) where T : Synapse =>
        (T)SynapseJson.Parse(JsonSerializer.SerializeToUtf8Bytes(synapse, synapse.GetType(), SynapseJson.Options), synapse.GetType());

    private static string Host(string ip) => IPAddress.TryParse(ip, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;

    private async Task<byte[]> ReadLimited(HttpResponseMessage response, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
            throw new InvalidDataException($"the answer is {response.Content.Headers.ContentLength} bytes; this dendrite reads at most {MaxResponseBytes}");
        await using var stream = await response.Content.ReadAsStreamAsync(cancel);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) throw new InvalidDataException($"the answer exceeds {MaxResponseBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? TryMessage(byte[] body)
    {
        try { return JsonNode.Parse(body)?["message"]?.GetValue<string>(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException) { return null; }
    }

    public void Dispose() => _http.Dispose();
}
