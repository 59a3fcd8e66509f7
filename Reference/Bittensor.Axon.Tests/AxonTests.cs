using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Axon;
using Bittensor.Identity;
using Xunit;

namespace Bittensor.Axon.Tests;

/// <summary>A test synapse: <c>text</c> is signed (a hash field), <c>answer</c> is the miner's.</summary>
public sealed class Echo : Synapse
{
    public string Text { get; set; } = "";
    public string? Answer { get; set; }
    public override IReadOnlyList<string> RequiredHashFields => ["text"];
}

public sealed class AxonTests : IAsyncLifetime
{
    private static readonly Sr25519KeyPair Miner = SecretUri.Parse("//Miner").ToSr25519();
    private static readonly Sr25519KeyPair Validator = SecretUri.Parse("//Validator").ToSr25519();
    private static readonly Sr25519KeyPair Whale = SecretUri.Parse("//Whale").ToSr25519();
    private static readonly Sr25519KeyPair Stranger = SecretUri.Parse("//Stranger").ToSr25519();
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Axon _axon = new(Miner, new AxonOptions { MaxBodyBytes = 64 << 10, MaxConcurrentForwards = 1, MaxQueuedForwards = 2 });
    private readonly List<string> _forwarded = [];
    private readonly List<string> _log = [];
    private TimeSpan _delay = TimeSpan.Zero;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _holdForwards;   // forwards wait for _release, so a test controls when the slot frees up
    private readonly HttpClient _http = new();

    private AxonEndpoint Endpoint => new("127.0.0.1", _axon.EndPoint!.Port, _axon.Hotkey);

    public async Task InitializeAsync()
    {
        _axon.Log += _log.Add;
        _axon.Attach<Echo>(async (s, cancel) =>
            {
                lock (_forwarded) _forwarded.Add(s.Text);
                if (s.Text == "throw") throw new InvalidOperationException("the model broke");
                if (_delay > TimeSpan.Zero) await Task.Delay(_delay, cancel);
                if (_holdForwards) await _release.Task.WaitAsync(cancel);
                s.Answer = s.Text.ToUpperInvariant();
                return s;
            },
            blacklist: s => s.Dendrite.Hotkey == Ss58.Encode(Stranger.PublicKey) ? BlacklistVerdict.Refuse("not registered on the subnet") : BlacklistVerdict.Allowed,
            // priority sees only header data (the body is read after it), so it goes by the caller, as stake does
            priority: s => s.Dendrite.Hotkey == Ss58.Encode(Whale.PublicKey) ? 10 : 0);
        await _axon.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _axon.DisposeAsync();
    }

    /// <summary>A signed request as the dendrite would send it, for tests that then alter it.</summary>
    private (Echo Synapse, HttpRequestMessage Message) Signed(string text)
    {
        using var own = new Dendrite(Validator);
        var s = new Echo { Text = text };
        own.Sign(s, Endpoint, Timeout);
        return (s, Message(s));
    }

    /// <summary>The synapse's headers and its body serialised as it stands.</summary>
    private HttpRequestMessage Message(Echo s, string? route = null) => Message(s, JsonSerializer.SerializeToUtf8Bytes(s, SynapseJson.Options), route);

    private HttpRequestMessage Message(Echo s, byte[] body, string? route = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_axon.EndPoint!.Port}/{route ?? s.Name}") { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (k, v) in s.ToHeaders()) message.Headers.TryAddWithoutValidation(k, v);
        return message;
    }

    private async Task<(HttpStatusCode Status, string Message)> Send(HttpRequestMessage message)
    {
        using var response = await _http.SendAsync(message);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body?["message"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task A_signed_request_is_answered_and_the_answer_carries_the_axons_signature()
    {
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(Endpoint, new Echo { Text = "hello" }, Timeout);
        Assert.Equal(200, answer.Dendrite.StatusCode);
        Assert.Equal("HELLO", answer.Answer);
        Assert.Equal(_axon.Hotkey, answer.Axon.Hotkey);
        Assert.Equal(AxonVersion.Current, answer.Axon.Version);
        var signature = Convert.FromHexString(answer.Axon.Signature![2..]);
        var message = Wire.ResponseMessage(answer.Axon.Nonce!.Value, dendrite.Hotkey, _axon.Hotkey, answer.Axon.Uuid!);
        Assert.True(Sr25519KeyPair.Verify(signature, Encoding.UTF8.GetBytes(message), Miner.PublicKey));
        Assert.True(answer.Dendrite.ProcessTime > 0);
    }

    [Fact]
    public async Task The_ping_route_answers_every_signed_caller()
    {
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(Endpoint, new Ping(), Timeout);
        Assert.Equal(200, answer.Dendrite.StatusCode);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused_with_401_and_never_forwarded()
    {
        var (s, _) = Signed("unsigned");
        s.Dendrite.Signature = null;
        var (status, message) = await Send(Message(s));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("not signed", message);
        Assert.DoesNotContain("unsigned", _forwarded);
    }

    [Fact]
    public async Task A_request_signed_for_another_axon_is_refused_with_401()
    {
        using var dendrite = new Dendrite(Validator);
        var t = new Echo { Text = "misdirected" };
        dendrite.Sign(t, Endpoint with { Hotkey = Ss58.Encode(Stranger.PublicKey) }, Timeout);
        var (status, message) = await Send(Message(t));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Signature mismatch", message);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task A_corrupted_or_short_signature_is_refused_with_401()
    {
        var (s, _) = Signed("corrupt");
        var bytes = Convert.FromHexString(s.Dendrite.Signature![2..]);
        bytes[10] ^= 1;
        s.Dendrite.Signature = "0x" + Convert.ToHexStringLower(bytes);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(Message(s))).Status);
        s.Dendrite.Signature = "0x" + Convert.ToHexStringLower(bytes[..63]);
        var (status, message) = await Send(Message(s));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("63 bytes", message);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task A_replayed_request_is_refused_with_401()
    {
        var (s, first) = Signed("once");
        Assert.Equal(HttpStatusCode.OK, (await Send(first)).Status);
        var (status, message) = await Send(Message(s));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("a newer one was last processed", message);
        Assert.Single(_forwarded);
    }

    [Fact]
    public async Task A_first_request_older_than_the_window_is_refused_with_401()
    {
        using var dendrite = new Dendrite(Validator);
        var s = new Echo { Text = "stale" };
        dendrite.Sign(s, Endpoint, Timeout);
        s.Dendrite.Nonce -= 15_000_000_000L; // 15 s + 10 s timeout > 4 s + 10 s
        var message = Wire.RequestMessage(s.Dendrite.Nonce!.Value, dendrite.Hotkey, _axon.Hotkey, dendrite.Uuid, s.ComputedBodyHash);
        s.Dendrite.Signature = "0x" + Convert.ToHexStringLower(Validator.Sign(Encoding.UTF8.GetBytes(message)));
        var (status, text) = await Send(Message(s));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Nonce is too old: acceptable delta is 14.00 seconds", text);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task A_body_that_is_not_the_signed_one_is_refused_with_400()
    {
        var (s, _) = Signed("signed text");
        var tampered = JsonSerializer.SerializeToNode(s, SynapseJson.Options)!;
        tampered["text"] = "other text";
        var (status, message) = await Send(Message(s, Encoding.UTF8.GetBytes(tampered.ToJsonString())));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("body hash", message);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(Endpoint, new Echo { Text = new string('x', 100_000) }, Timeout);
        Assert.Equal(413, answer.Dendrite.StatusCode);
        Assert.Contains("at most 65536", answer.Dendrite.StatusMessage);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task An_unknown_synapse_is_refused_with_404_naming_the_routes()
    {
        var (s, _) = Signed("lost");
        var (status, message) = await Send(Message(s, route: "Nothing"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("'Nothing' not found. Available synapses ['Echo', 'Synapse']", message);
    }

    [Fact]
    public async Task A_header_that_does_not_parse_is_refused_with_400()
    {
        var (_, message) = Signed("bad header");
        message.Headers.Remove("timeout");
        message.Headers.TryAddWithoutValidation("timeout", "soon");
        var (status, text) = await Send(message);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("header 'timeout' is not a number: 'soon'", text);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task A_blacklisted_caller_is_refused_with_403_even_when_correctly_signed()
    {
        using var dendrite = new Dendrite(Stranger);
        var answer = await dendrite.CallAsync(Endpoint, new Echo { Text = "let me in" }, Timeout);
        Assert.Equal(403, answer.Dendrite.StatusCode);
        Assert.Equal("Forbidden. Key is blacklisted: not registered on the subnet.", answer.Dendrite.StatusMessage);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task A_forward_that_throws_is_a_500_whose_detail_stays_in_the_axons_log()
    {
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(Endpoint, new Echo { Text = "throw" }, Timeout);
        Assert.Equal(500, answer.Dendrite.StatusCode);
        Assert.StartsWith("Internal Server Error #", answer.Dendrite.StatusMessage);
        Assert.DoesNotContain("the model broke", answer.Dendrite.StatusMessage);
        Assert.Contains(_log, line => line.Contains("the model broke"));
    }

    // Both sides keep the synapse's timeout, so a slow forward races two 408s; each test below pins one side.
    [Fact]
    public async Task A_slow_forward_is_cut_off_by_the_axon_with_408()
    {
        _delay = TimeSpan.FromSeconds(5);
        using var dendrite = new Dendrite(Validator);
        var s = new Echo { Text = "slow" };
        dendrite.Sign(s, Endpoint, TimeSpan.FromMilliseconds(300));
        var (status, text) = await Send(Message(s));
        Assert.Equal(HttpStatusCode.RequestTimeout, status);
        Assert.Equal("Request Timeout: the forward took longer than 0.3 s", text);
        Assert.Equal(["slow"], _forwarded);
    }

    [Fact]
    public async Task An_axon_that_never_answers_is_a_408_on_the_dendrite()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();   // accepts the connection (the backlog does) and never writes a byte
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(new AxonEndpoint("127.0.0.1", port, _axon.Hotkey), new Echo { Text = "anyone home?" }, TimeSpan.FromMilliseconds(300));
        Assert.Equal(408, answer.Dendrite.StatusCode);
        Assert.Equal("Request timeout after 0.3 seconds", answer.Dendrite.StatusMessage);
        Assert.InRange(answer.Dendrite.ProcessTime!.Value, 0.25, 5.0);
    }

    [Fact]
    public async Task An_unreachable_axon_is_503()
    {
        using var dendrite = new Dendrite(Validator);
        var answer = await dendrite.CallAsync(new AxonEndpoint("127.0.0.1", 1, _axon.Hotkey), new Echo { Text = "anyone?" }, Timeout);
        Assert.Equal(503, answer.Dendrite.StatusCode);
        Assert.Contains("Service unavailable at 127.0.0.1:1/Echo", answer.Dendrite.StatusMessage);
    }

    [Fact]
    public async Task Waiting_requests_run_highest_priority_first_and_a_full_queue_is_503()
    {
        _holdForwards = true;
        using var dendrite = new Dendrite(Validator);
        var busy = dendrite.CallAsync(Endpoint, new Echo { Text = "first" }, Timeout);   // takes the only slot
        await WaitUntil(() => _forwarded.Count == 1);
        var low = dendrite.CallAsync(Endpoint, new Echo { Text = "low" }, Timeout);
        await WaitUntil(() => _axon.WaitingForwards == 1);
        using var whale = new Dendrite(Whale);
        var high = whale.CallAsync(Endpoint, new Echo { Text = "high" }, Timeout);
        await WaitUntil(() => _axon.WaitingForwards == 2);
        var refused = await dendrite.CallAsync(Endpoint, new Echo { Text = "one too many" }, Timeout);
        Assert.Equal(503, refused.Dendrite.StatusCode);
        _release.SetResult();
        await Task.WhenAll(busy, low, high);
        Assert.Equal(["first", "high", "low"], _forwarded);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5)) throw new TimeoutException("condition not reached");
            await Task.Delay(5);
        }
    }
}
