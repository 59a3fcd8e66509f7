using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Bittensor.Chain;
using Bittensor.Chain.Client;
using Bittensor.Chain.Rpc;
using Bittensor.Identity;

namespace Bittensor.Node;

/// <summary>The embedded chain's commands, in the spirit of btcli: start a node, and talk to one over JSON-RPC.</summary>
public static class ChainCommands
{
    public const string Usage =
        """
        chain commands (a node on --url, default http://127.0.0.1:9944; signers are secret URIs such as //Alice):
          chain start [--db PATH] [--port 9944] [--block-time-ms 12000] [--manual-seal]
                                  run the embedded chain (state in PATH, default ./chain.sqlite; --block-time-ms 0
                                  seals a block as soon as an extrinsic arrives; --manual-seal adds engine_createBlock)
          chain load [--clients 8] [--seconds 10]
                                  many clients submitting transfers at once; prints throughput and checks that every
                                  accepted extrinsic landed in a block
          subnet create --uri COLDKEY [--hotkey-uri HOTKEY]
          subnet register --netuid N --uri COLDKEY --hotkey-uri HOTKEY
          subnet set --netuid N --uri OWNER --name PARAMETER --value V
          subnet metagraph --netuid N
          stake add|remove --netuid N --uri COLDKEY --hotkey-uri HOTKEY --amount TAO
          weights set --netuid N --hotkey-uri HOTKEY --uids 1,2 --weights 0.7,0.3 [--version-key K]
        """;

    internal sealed class UsageException(string message) : Exception(message);

    public static int Run(string group, string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            var sub = args.Length > 0 ? args[0] : "";
            var options = Options(args.Skip(1).ToArray());
            return (group, sub) switch
            {
                ("chain", "start") => Start(options, output).GetAwaiter().GetResult(),
                ("chain", "load") => Load(options, output).GetAwaiter().GetResult(),
                ("subnet", "create") => Submit(options, output, Signer(options, "--uri"), new Call.RegisterNetwork(Account(options, "--hotkey-uri", Optional(options, "--uri")))),
                ("subnet", "register") => Submit(options, output, Signer(options, "--uri"), new Call.BurnedRegister(Netuid(options), Account(options, "--hotkey-uri"))),
                ("subnet", "set") => Submit(options, output, Signer(options, "--uri"), new Call.SetSubnetParameter(Netuid(options), Parameter(Required(options, "--name")), UInt64(options, "--value"))),
                ("subnet", "metagraph") => ShowMetagraph(options, output).GetAwaiter().GetResult(),
                ("stake", "add") => Submit(options, output, Signer(options, "--uri"), new Call.AddStake(Account(options, "--hotkey-uri"), Netuid(options), Tao(Required(options, "--amount")))),
                ("stake", "remove") => Submit(options, output, Signer(options, "--uri"), new Call.RemoveStake(Account(options, "--hotkey-uri"), Netuid(options), Tao(Required(options, "--amount")))),
                ("weights", "set") => SetWeights(options, output),
                _ => throw new UsageException($"unknown command '{group} {sub}'"),
            };
        }
        catch (UsageException e)
        {
            error.WriteLine($"bittensor-node: {e.Message}");
            error.Write(Usage);
            return Cli.UsageError;
        }
        catch (Exception e) when (e is InvalidTransactionException or RpcException or HttpRequestException or SecretUriException or FormatException or InvalidDataException or TimeoutException)
        {
            error.WriteLine($"bittensor-node: {e.Message}");
            return 1;
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"expected an option, got '{args[i]}'");
            if (args[i] == "--manual-seal") { options[args[i]] = "true"; continue; }
            if (i + 1 >= args.Length) throw new UsageException($"option {args[i]} needs a value");
            options[args[i]] = args[++i];
        }
        return options;
    }

    private static string? Optional(Dictionary<string, string> o, string name) => o.GetValueOrDefault(name);
    private static string Required(Dictionary<string, string> o, string name) => o.GetValueOrDefault(name) ?? throw new UsageException($"missing {name}");

    private static ulong UInt64(Dictionary<string, string> o, string name) =>
        ulong.TryParse(Required(o, name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"{name} takes a whole number, got '{o[name]}'");

    private static int Int(Dictionary<string, string> o, string name, int fallback, int max) =>
        o.TryGetValue(name, out var text) ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= max ? v
            : throw new UsageException($"{name} takes a whole number from 0 to {max}, got '{text}'") : fallback;

    private static ushort Netuid(Dictionary<string, string> o) =>
        ushort.TryParse(Required(o, "--netuid"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"--netuid takes 0 to 65535, got '{o["--netuid"]}'");

    private static Sr25519KeyPair Signer(Dictionary<string, string> o, string name) => SecretUri.Parse(Required(o, name)).ToSr25519();

    private static AccountId Account(Dictionary<string, string> o, string name, string? fallbackUri = null) =>
        AccountId.FromPublicKey(SecretUri.Parse(o.GetValueOrDefault(name) ?? fallbackUri ?? throw new UsageException($"missing {name}")).ToSr25519().PublicKey);

    private static SubnetParameter Parameter(string name)
    {
        var normalised = name.Replace("_", "", StringComparison.Ordinal);
        return Enum.GetValues<SubnetParameter>().FirstOrDefault(p => string.Equals(p.ToString(), normalised, StringComparison.OrdinalIgnoreCase)) is var p
               && string.Equals(p.ToString(), normalised, StringComparison.OrdinalIgnoreCase)
            ? p : throw new UsageException($"unknown parameter '{name}'; one of {string.Join(", ", Enum.GetNames<SubnetParameter>())}");
    }

    /// <summary>A TAO amount written in decimal ("1.5") as rao, exactly (at most 9 decimal places).</summary>
    public static ulong Tao(string text)
    {
        var parts = text.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit)) || (parts.Length == 2 && (parts[1].Length is 0 or > 9)))
            throw new UsageException($"an amount in TAO with at most 9 decimals, got '{text}'");
        var rao = BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000
                  + (parts.Length == 2 ? BigInteger.Parse(parts[1].PadRight(9, '0'), CultureInfo.InvariantCulture) : 0);
        return rao <= ulong.MaxValue ? (ulong)rao : throw new UsageException($"{text} TAO exceeds a u64 of rao");
    }

    /// <summary>The weights as typed (non-negative decimals), converted to u16 by the SDK's rule
    /// (<see cref="WeightConversion.ConvertForEmit"/>): Python reads them as floats, and so does this.</summary>
    public static (ushort[] Uids, ushort[] Values) ConvertWeights(ushort[] uids, string[] weights)
    {
        if (uids.Length != weights.Length) throw new UsageException($"{uids.Length} uids but {weights.Length} weights");
        var values = weights.Select(w => w.Split('.') is var p && p.Length <= 2 && p[0].Length > 0 && p.All(x => x.All(char.IsAsciiDigit))
                && double.TryParse(w, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new UsageException($"a weight is a non-negative decimal, got '{w}'")).ToArray();
        return WeightConversion.ConvertForEmit(uids, values);
    }

    private static JsonRpcSubtensor Client(Dictionary<string, string> o) => new(new Uri(o.GetValueOrDefault("--url") ?? "http://127.0.0.1:9944"));

    private static int Submit(Dictionary<string, string> o, TextWriter output, Sr25519KeyPair signer, Call call)
    {
        using var chain = Client(o);
        var status = chain.SubmitAndWaitAsync(signer, call).GetAwaiter().GetResult();
        if (status.Error is not null)
        {
            output.WriteLine($"{call.Name} failed in block {status.Block}: {status.Error}");
            return 1;
        }
        output.WriteLine($"{call.Name} succeeded in block {status.Block} ({status.Hash})");
        return 0;
    }

    private static int SetWeights(Dictionary<string, string> o, TextWriter output)
    {
        var uids = Required(o, "--uids").Split(',').Select(u => ushort.TryParse(u, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"a uid is 0 to 65535, got '{u}'")).ToArray();
        var (dests, values) = ConvertWeights(uids, Required(o, "--weights").Split(','));
        var versionKey = o.ContainsKey("--version-key") ? UInt64(o, "--version-key") : 0;
        return Submit(o, output, Signer(o, "--hotkey-uri"), new Call.SetWeights(Netuid(o), dests, values, versionKey));
    }

    private static async Task<int> ShowMetagraph(Dictionary<string, string> o, TextWriter output)
    {
        using var chain = Client(o);
        var netuid = Netuid(o);
        var m = await chain.GetMetagraphAsync(netuid) ?? throw new InvalidDataException($"subnet {netuid} does not exist");
        output.Write(RenderMetagraph(m));
        return 0;
    }

    /// <summary>The metagraph as a table; proportions are the u16 values / 65 535, stake in TAO.</summary>
    public static string RenderMetagraph(Metagraph m)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"subnet {m.Netuid} at block {m.Block}: {m.N} neurons, tempo {m.Tempo}, burn {m.Burn / 1e9:0.#########} TAO");
        text.AppendLine("| uid | hotkey | stake (TAO) | incentive | dividends | consensus | v-trust | permit | emission (rao) | axon |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        static string P(ushort x) => (x / 65535.0).ToString("0.0000", CultureInfo.InvariantCulture);
        for (var i = 0; i < m.N; i++)
        {
            var axon = m.Axons[i] is { } a ? $"{a.Ip}:{a.Port}" : "-";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Uids[i]} | {m.Hotkeys[i][..8]}… | {m.Stake[i] / 1e9:0.000} | {P(m.Incentive[i])} | {P(m.Dividends[i])} | {P(m.Consensus[i])} | {P(m.ValidatorTrust[i])} | {(m.ValidatorPermit[i] ? "yes" : "no")} | {m.Emission[i]} | {axon} |");
        }
        return text.ToString();
    }

    private static async Task<int> Start(Dictionary<string, string> o, TextWriter output)
    {
        var path = o.GetValueOrDefault("--db") ?? "chain.sqlite";
        var port = Int(o, "--port", 9944, 65535);
        var blockTime = TimeSpan.FromMilliseconds(Int(o, "--block-time-ms", 12_000, 3_600_000));
        var manualSeal = o.ContainsKey("--manual-seal");
        using var node = ChainNode.Open(path);
        await using var server = await RpcServer.StartAsync(node, port, manualSeal);
        output.WriteLine($"bittensor-node: chain '{node.Genesis.ChainName}' at block {node.BestHeader.Number} from {Path.GetFullPath(path)}");
        output.WriteLine($"bittensor-node: JSON-RPC on {server.HttpUri} and {server.WebSocketUri}");
        output.Flush();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        node.NewBlock += block =>
        {
            output.WriteLine($"#{block.Header.Number} {RpcHandler.Hex(block.Hash())[..18]}… {block.Extrinsics.Count} extrinsic(s){(block.Epochs.Count > 0 ? $", epoch on subnet {string.Join(", ", block.Epochs)}" : "")}");
            output.Flush();
        };
        if (manualSeal) await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { });
        else await node.RunAsync(blockTime, stop.Token);
        return 0;
    }

    /// <summary>The load test: funds one account per client from //Alice, then every client submits transfers for the
    /// given time with locally counted nonces. Prints accepted and included per second, and fails if any accepted
    /// extrinsic is missing from the chain afterwards.</summary>
    private static async Task<int> Load(Dictionary<string, string> o, TextWriter output)
    {
        var clients = Math.Max(1, Int(o, "--clients", 8, 256));
        var seconds = Math.Max(1, Int(o, "--seconds", 10, 3600));
        using var chain = Client(o);
        var alice = SecretUri.Parse("//Alice").ToSr25519();
        var keys = Enumerable.Range(0, clients).Select(i => SecretUri.Parse($"//Load//{i}").ToSr25519()).ToArray();
        foreach (var key in keys)
        {
            var status = await chain.SubmitAndWaitAsync(alice, new Call.Transfer(AccountId.FromPublicKey(key.PublicKey), 1_000_000_000));
            if (status.Error is not null) throw new InvalidDataException($"funding a load client failed: {status.Error}");
        }
        var genesis = await chain.GetGenesisHashAsync();
        var start = (await chain.GetHeaderAsync()).Number;
        var sink = AccountId.FromPublicKey(alice.PublicKey);
        // the nonces before the clock starts: on a busy machine the first calls (connections, JIT) took longer than a
        // one-second run, which then submitted nothing
        var nonces = new uint[clients];
        for (var i = 0; i < clients; i++) nonces[i] = await chain.GetAccountNextIndexAsync(AccountId.FromPublicKey(keys[i].PublicKey));
        var clock = Stopwatch.StartNew();
        var accepted = await Task.WhenAll(keys.Select(async (key, client) =>
        {
            var hashes = new List<string>();
            var nonce = nonces[client];
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var x = SignedExtrinsic.Sign(key, new Call.Transfer(sink, 1), nonce, TransactionEra.Immortal, RuntimeVersion.Current, genesis, genesis);
                try { hashes.Add(await chain.SubmitExtrinsicAsync(x.Encode())); nonce++; }
                catch (InvalidTransactionException e) when (e.Code is "Future" or "ExhaustsResources") { await Task.Delay(10); }
            }
            return hashes;
        }));
        var submitSeconds = clock.Elapsed.TotalSeconds;
        var all = accepted.SelectMany(h => h).ToList();
        var statuses = new List<ExtrinsicStatus>();
        foreach (var hash in all) statuses.Add(await chain.WaitForInclusionAsync(hash, TimeSpan.FromSeconds(120)));
        var end = (await chain.GetHeaderAsync()).Number;
        var includedSeconds = clock.Elapsed.TotalSeconds;
        var failed = statuses.Count(s => s.Error is not null);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {clients} clients, {all.Count} extrinsics accepted in {submitSeconds:0.0} s ({all.Count / submitSeconds:0} per second); all included in blocks {start + 1}–{end} after {includedSeconds:0.0} s ({all.Count / includedSeconds:0} per second); {failed} failed calls; 0 lost"));
        return failed == 0 ? 0 : 1;
    }
}
