using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bittensor.Chain;
using Bittensor.Chain.Client;
using Bittensor.Chain.Rpc;
using Bittensor.Identity;
using Xunit;

namespace Bittensor.Chain.Tests;

public class ExtrinsicTests
{
    private static readonly Sr25519KeyPair Alice = SecretUri.Parse("//Alice").ToSr25519();
    private static readonly Sr25519KeyPair Bob = SecretUri.Parse("//Bob").ToSr25519();
    private static AccountId Id(Sr25519KeyPair k) => AccountId.FromPublicKey(k.PublicKey);

    private static byte[] Signed(ChainNode node, Sr25519KeyPair signer, Call call, uint nonce, TransactionEra? era = null, byte[]? birth = null) =>
        SignedExtrinsic.Sign(signer, call, nonce, era ?? TransactionEra.Immortal, RuntimeVersion.Current, node.GenesisHash, birth ?? node.GenesisHash).Encode();

    [Fact]
    public void Every_call_round_trips_through_scale()
    {
        var hot = Id(Bob);
        Call[] calls =
        [
            new Call.Transfer(hot, 5), new Call.RegisterNetwork(hot), new Call.BurnedRegister(3, hot),
            new Call.ServeAxon(1, 7, 0x0A000001, 8091, 4, 4, 0, 0), new Call.SetWeights(1, [1, 2], [65535, 100], 9),
            new Call.CommitWeights(1, new byte[32]), new Call.RevealWeights(1, [1], [2], [3], 4), new Call.AddStake(hot, 1, 500_000),
            new Call.RemoveStake(hot, 1, 500_000), new Call.SetSubnetParameter(1, SubnetParameter.Tempo, 10),
        ];
        foreach (var call in calls)
        {
            var x = SignedExtrinsic.Sign(Alice, call, 3, TransactionEra.Mortal(64, 1000), RuntimeVersion.Current, new byte[32], new byte[32]);
            var decoded = SignedExtrinsic.Decode(x.Encode());
            Assert.Equal(call.Encode(), decoded.Call.Encode());
            Assert.Equal(x.Encode(), decoded.Encode());
            Assert.True(decoded.VerifySignature(RuntimeVersion.Current, new byte[32], new byte[32]));
        }
    }

    [Fact]
    public void A_mortal_era_is_valid_from_its_birth_for_its_period()
    {
        var era = TransactionEra.Mortal(64, 1000);
        Assert.Equal(64UL, era.Period);
        Assert.Equal(1000UL % 64, era.Phase);
        Assert.Equal(1000UL, era.Birth(1010));
        Assert.Equal(1064UL, era.Death(1010));
        var w = new ScaleWriter();
        era.Write(w);
        Assert.Equal(era, TransactionEra.Read(new ScaleReader(w.ToArray())));
    }

    [Fact]
    public void Bad_extrinsics_are_refused_by_name_and_change_nothing()
    {
        using var node = ChainNode.Open(null);
        var root = node.BestHeader.StateRoot;
        InvalidTransactionException Refused(byte[] bytes) => Assert.Throws<InvalidTransactionException>(() => node.Submit(bytes));

        Assert.Equal("Malformed", Refused([0x12, 0x34]).Code);
        var good = Signed(node, Alice, new Call.Transfer(Id(Bob), 1), 0);
        Assert.Contains("trailing", Refused([.. good, 0]).Message);
        var unsigned = new ScaleWriter().Bytes([0x04, .. new Call.Transfer(Id(Bob), 1).Encode()]).ToArray();
        Assert.Contains("unsigned", Refused(unsigned).Message);
        var tampered = (byte[])good.Clone();
        tampered[^1] ^= 0x04; // the compact amount 1 becomes 0, so the signature no longer covers the call
        Assert.Equal("BadProof", Refused(tampered).Code);
        var forged = Signed(node, Bob, new Call.Transfer(Id(Bob), 1), 0);
        Alice.PublicKey.CopyTo(forged.AsSpan(4)); // Bob's signature presented as Alice's (signer field after length, 0x84, 0x00)
        Assert.Equal("BadProof", Refused(forged).Code);
        Assert.Equal("Future", Refused(Signed(node, Alice, new Call.Transfer(Id(Bob), 1), ChainNode.MaxFutureNonces + 1)).Code);
        Assert.Equal("ExhaustsResources", Refused(new byte[SignedExtrinsic.MaxLength + 10]).Code);
        Assert.Equal("AncientBirthBlock", Refused(Signed(node, Alice, new Call.Transfer(Id(Bob), 1), 0, TransactionEra.Mortal(64, 5000))).Code);
        Assert.Equal(0, node.PoolSize);
        Assert.Equal(root, node.BestHeader.StateRoot);

        var hash = node.Submit(good);
        Assert.Equal("AlreadyImported", Refused(good).Code);
        Assert.Equal("TooLowPriority", Refused(Signed(node, Alice, new Call.Transfer(Id(Bob), 2), 0)).Code);
        node.ProduceBlock();
        Assert.Equal("InBlock", node.Status(hash)!.State);
        Assert.Equal("AlreadyImported", Refused(good).Code);
        Assert.Equal("Stale", Refused(Signed(node, Alice, new Call.Transfer(Id(Bob), 7), 0)).Code);
    }

    [Fact]
    public void A_failing_call_uses_its_nonce_and_names_the_error()
    {
        using var node = ChainNode.Open(null);
        var hash = node.Submit(Signed(node, Bob, new Call.BurnedRegister(9, Id(Bob)), 0));
        node.ProduceBlock();
        var status = node.Status(hash)!;
        Assert.Equal("Failed", status.State);
        Assert.Equal("SubnetNotExists", status.Error);
        Assert.Equal(1u, node.NextIndex(Id(Bob)));
    }

    [Fact]
    public void Future_nonces_wait_in_the_pool_until_their_turn()
    {
        using var node = ChainNode.Open(null);
        var second = node.Submit(Signed(node, Alice, new Call.Transfer(Id(Bob), 2), 1));
        node.ProduceBlock();
        Assert.Equal("Ready", node.Status(second)!.State);
        var first = node.Submit(Signed(node, Alice, new Call.Transfer(Id(Bob), 1), 0));
        var block = node.ProduceBlock();
        Assert.Equal(2, block.Extrinsics.Count);
        Assert.Equal(block.Header.Number, node.Status(first)!.Block);
        Assert.Equal(block.Header.Number, node.Status(second)!.Block);
    }
}

public class PersistenceTests
{
    private static readonly Sr25519KeyPair Alice = SecretUri.Parse("//Alice").ToSr25519();

    [Fact]
    public async Task The_state_encoding_round_trips_and_fixes_the_root()
    {
        using var node = ChainNode.Open(null);
        var chain = new EmbeddedSubtensor(node);
        var hash = await chain.SubmitAsync(Alice, new Call.RegisterNetwork(AccountId.FromPublicKey(Alice.PublicKey)));
        node.ProduceBlock();
        Assert.Null(node.Status(hash)!.Error);
        var bytes = node.Read(StateCodec.Encode);
        var decoded = StateCodec.Decode(bytes);
        Assert.Equal(bytes, StateCodec.Encode(decoded));
        Assert.Equal(node.BestHeader.StateRoot, StateCodec.StateRoot(decoded));
        bytes[^1] ^= 0xff;
        Assert.NotEqual(node.BestHeader.StateRoot, Hashing.Blake2b256(bytes));
    }

    [Fact]
    public async Task A_reopened_database_resumes_with_the_same_head_and_state_root()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chain-{Guid.NewGuid():N}.sqlite");
        try
        {
            Header head;
            using (var node = ChainNode.Open(path, snapshotEvery: 4))
            {
                var chain = new EmbeddedSubtensor(node);
                await chain.SubmitAsync(Alice, new Call.RegisterNetwork(AccountId.FromPublicKey(Alice.PublicKey)));
                for (var i = 0; i < 10; i++) node.ProduceBlock();
                head = node.BestHeader;
            }
            using (var node = ChainNode.Open(path, snapshotEvery: 4))
            {
                Assert.Equal(head.Hash(), node.BestHeader.Hash());
                Assert.Equal(head.StateRoot, node.Read(StateCodec.StateRoot));
                Assert.Equal(11UL, node.ProduceBlock().Header.Number);
            }
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*")) File.Delete(file);
        }
    }
}

public class RpcTests
{
    private static readonly Sr25519KeyPair Alice = SecretUri.Parse("//Alice").ToSr25519();
    private static readonly Sr25519KeyPair Bob = SecretUri.Parse("//Bob").ToSr25519();

    private static async Task<(ChainNode Node, RpcServer Server, JsonRpcSubtensor Client)> Start()
    {
        var node = ChainNode.Open(null);
        var server = await RpcServer.StartAsync(node, 0, manualSeal: true);
        return (node, server, new JsonRpcSubtensor(server.HttpUri));
    }

    /// <summary>Posts with <c>Expect: 100-continue</c>, so that a body the server refuses by its length is never sent
    /// (without it the server may close the connection while the client is still writing).</summary>
    private static async Task<string> Post(Uri uri, string body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    [Fact]
    public async Task Malformed_requests_get_named_json_rpc_errors()
    {
        var (node, server, client) = await Start();
        await using (server)
        using (node)
        using (client)
        {
            Assert.Contains("-32700", await Post(server.HttpUri, "{not json"));
            Assert.Contains("method not found: nope", await Post(server.HttpUri, """{"jsonrpc":"2.0","id":1,"method":"nope"}"""));
            Assert.Contains("jsonrpc must be", await Post(server.HttpUri, """{"id":1,"method":"system_name"}"""));
            Assert.Contains("-32602", await Post(server.HttpUri, """{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["xyz"]}"""));
            Assert.Contains("Malformed", await Post(server.HttpUri, """{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["0x00"]}"""));
            var tooBig = await Post(server.HttpUri, new string(' ', RpcServer.MaxRequestBytes + 1));
            Assert.StartsWith("413", tooBig);
            Assert.Contains("exceeds", tooBig);
            var batch = JsonNode.Parse((await Post(server.HttpUri, """[{"jsonrpc":"2.0","id":1,"method":"system_name"},{"jsonrpc":"2.0","id":2,"method":"system_chain"}]"""))[4..])!;
            Assert.Equal(2, batch.AsArray().Count);
            Assert.Equal(0UL, node.BestHeader.Number);
        }
    }

    [Fact]
    public async Task The_embedded_and_json_rpc_subtensors_agree()
    {
        var (node, server, client) = await Start();
        await using (server)
        using (node)
        using (client)
        {
            var embedded = new EmbeddedSubtensor(node);
            var hash = await client.SubmitAsync(Alice, new Call.RegisterNetwork(AccountId.FromPublicKey(Alice.PublicKey)));
            await client.CreateBlocksAsync(1);
            Assert.Equal("InBlock", (await client.GetExtrinsicStatusAsync(hash))!.State);
            await embedded.SubmitAsync(Bob, new Call.BurnedRegister(1, AccountId.FromPublicKey(Bob.PublicKey)));
            await client.CreateBlocksAsync(3);
            var overRpc = (await client.GetMetagraphAsync(1))!;
            var local = (await embedded.GetMetagraphAsync(1))!;
            Assert.Equal(2, overRpc.N);
            Assert.Equal(local.Hotkeys, overRpc.Hotkeys);
            Assert.Equal(local.Stake, overRpc.Stake);
            Assert.Equal(local.LastUpdate, overRpc.LastUpdate);
            Assert.Equal((await embedded.GetHeaderAsync()).Hash(), (await client.GetHeaderAsync()).Hash());
            Assert.Equal(await embedded.GetBalanceAsync(AccountId.FromPublicKey(Bob.PublicKey)), await client.GetBalanceAsync(AccountId.FromPublicKey(Bob.PublicKey)));
            Assert.Equal(await embedded.GetGenesisHashAsync(), await client.GetGenesisHashAsync());
            Assert.Null(await client.GetMetagraphAsync(7));
            var refused = await Assert.ThrowsAsync<InvalidTransactionException>(() => client.SubmitExtrinsicAsync([0x12, 0x34]));
            Assert.Equal("Malformed", refused.Code);
        }
    }

    [Fact]
    public async Task New_heads_arrive_over_websocket()
    {
        var (node, server, client) = await Start();
        await using (server)
        using (node)
        using (client)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var heads = new List<ulong>();
            var reader = Task.Run(async () =>
            {
                await foreach (var header in client.SubscribeNewHeadsAsync(cancel.Token))
                {
                    heads.Add(header.Number);
                    if (heads.Count == 3) break;
                }
            });
            while (heads.Count < 3 && !cancel.IsCancellationRequested)
            {
                await client.CreateBlocksAsync(1);
                await Task.Delay(50);
            }
            await reader;
            Assert.Equal(3, heads.Count);
            Assert.True(heads.SequenceEqual(heads.Order()) && heads.Distinct().Count() == 3);
        }
    }
}
