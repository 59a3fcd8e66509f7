using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bittensor.Chain;
using Bittensor.Chain.Client;
using Bittensor.Identity;
using Xunit;

namespace Bittensor.Node.Tests;

public class ChainProcessTests
{
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Killing_the_node_mid_run_loses_no_imported_block_and_a_restart_resumes_with_the_same_state_root()
    {
        var path = Path.Combine(Path.GetTempPath(), $"killed-{Guid.NewGuid():N}.sqlite");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "bittensor-node.dll"), "chain", "start", "--db", path, "--port", port.ToString(), "--block-time-ms", "10"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        try
        {
            using var client = new JsonRpcSubtensor(new Uri($"http://127.0.0.1:{port}/"));
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try { await client.GetHeaderAsync(); break; }
                catch (HttpRequestException) when (ready.Elapsed < TimeSpan.FromSeconds(30)) { await Task.Delay(100); }
            }
            var alice = SecretUri.Parse("//Alice").ToSr25519();
            var included = new List<ExtrinsicStatus>();
            Header seen;
            do
            {
                included.Add(await client.SubmitAndWaitAsync(alice, new Call.Transfer(AccountId.FromPublicKey(SecretUri.Parse("//Bob").ToSr25519().PublicKey), 1)));
                seen = await client.GetHeaderAsync();
            } while (seen.Number < 40);
            // more in flight while it dies
            for (var i = 0; i < 20; i++) _ = client.SubmitAsync(alice, new Call.Transfer(AccountId.FromPublicKey(alice.PublicKey), 1));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();

            using var reopened = ChainNode.Open(path);
            Assert.True(reopened.BestHeader.Number >= seen.Number, $"the head went back from {seen.Number} to {reopened.BestHeader.Number}");
            Assert.Equal(seen.Hash(), reopened.BlockAt(seen.Number)!.Hash());
            Assert.Equal(reopened.BestHeader.StateRoot, reopened.Read(StateCodec.StateRoot));
            foreach (var status in included) Assert.Equal(status.Block, reopened.Status(status.Hash)?.Block);
            var next = reopened.ProduceBlock();
            Assert.Equal(reopened.BlockAt(next.Header.Number - 1)!.Hash(), next.Header.ParentHash);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*")) File.Delete(file);
        }
    }

    [Fact]
    public async Task The_load_test_loses_no_accepted_extrinsic()
    {
        using var node = ChainNode.Open(null);
        await using var server = await Bittensor.Chain.Rpc.RpcServer.StartAsync(node, 0, manualSeal: false);
        using var stop = new CancellationTokenSource();
        var producer = node.RunAsync(TimeSpan.Zero, stop.Token);
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Task.Run(() => Cli.Run(["chain", "load", "--clients", "3", "--seconds", "1", "--url", server.HttpUri.ToString()], output, error));
        await stop.CancelAsync();
        await producer;
        Assert.Equal("", error.ToString());
        Assert.Equal(0, code);
        Assert.Matches(@"load: 3 clients, [1-9]\d* extrinsics accepted .* 0 failed calls; 0 lost", output.ToString());
        // Alice funded 3 clients; every transfer the clients made is in a block
        var sent = int.Parse(System.Text.RegularExpressions.Regex.Match(output.ToString(), @"(\d+) extrinsics accepted").Groups[1].Value);
        var inBlocks = Enumerable.Range(0, (int)node.BestHeader.Number + 1).Sum(n => node.BlockAt((ulong)n)!.Extrinsics.Count);
        Assert.Equal(sent + 3, inBlocks);
    }

    [Fact]
    public void Weights_typed_on_the_command_line_convert_to_u16_as_the_sdk_does()
    {
        var (uids, values) = ChainCommands.ConvertWeights([1, 2, 3, 4], ["0.5", "0.25", "0", "1"]);
        Assert.Equal(new ushort[] { 1, 2, 4 }, uids);
        // 0.5 · 65535 = 32767.5 → 32768 (half to even); 0.25 · 65535 = 16383.75 → 16384
        Assert.Equal(new ushort[] { 32768, 16384, 65535 }, values);
        Assert.Equal((Array.Empty<ushort>(), Array.Empty<ushort>()), ChainCommands.ConvertWeights([1], ["0"]));
        Assert.Equal(1_500_000_000UL, ChainCommands.Tao("1.5"));
        Assert.Equal(1UL, ChainCommands.Tao("0.000000001"));
    }

    [Theory]
    [InlineData("1.0000000001")]
    [InlineData("-1")]
    [InlineData("1e9")]
    public void A_bad_amount_is_refused_by_name(string amount)
    {
        var error = new StringWriter();
        var code = Cli.Run(["stake", "add", "--netuid", "1", "--uri", "//Bob", "--hotkey-uri", "//Bob", "--amount", amount], new StringWriter(), error);
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("at most 9 decimals", error.ToString());
    }
}
