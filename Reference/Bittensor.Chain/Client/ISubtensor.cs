using System.Diagnostics;
using Bittensor.Identity;

namespace Bittensor.Chain.Client;

/// <summary>
/// "A subtensor": what a wallet, a neuron or a command-line tool needs from the chain. Two implementations:
/// <see cref="EmbeddedSubtensor"/> (the chain in this process) and <see cref="JsonRpcSubtensor"/> (a node over
/// JSON-RPC), which behave the same; the tests run one suite against both.
/// </summary>
public interface ISubtensor
{
    Task<byte[]> GetGenesisHashAsync(CancellationToken cancel = default);
    Task<Header> GetHeaderAsync(CancellationToken cancel = default);
    /// <summary>The nonce the account's next extrinsic should carry (pool included).</summary>
    Task<uint> GetAccountNextIndexAsync(AccountId account, CancellationToken cancel = default);
    Task<ulong> GetBalanceAsync(AccountId account, CancellationToken cancel = default);
    Task<IReadOnlyList<ushort>> GetSubnetsAsync(CancellationToken cancel = default);
    Task<Metagraph?> GetMetagraphAsync(ushort netuid, CancellationToken cancel = default);
    /// <summary>Submits an encoded extrinsic; returns its hash. Refusals throw <see cref="InvalidTransactionException"/>.</summary>
    Task<string> SubmitExtrinsicAsync(byte[] extrinsic, CancellationToken cancel = default);
    Task<ExtrinsicStatus?> GetExtrinsicStatusAsync(string hash, CancellationToken cancel = default);
}

/// <summary>Signing and submitting calls over any <see cref="ISubtensor"/>.</summary>
public static class SubtensorExtensions
{
    /// <summary>Signs <paramref name="call"/> with the signer's next nonce (immortal era) and submits it.</summary>
    public static async Task<string> SubmitAsync(this ISubtensor chain, Sr25519KeyPair signer, Call call, CancellationToken cancel = default)
    {
        var genesis = await chain.GetGenesisHashAsync(cancel);
        var nonce = await chain.GetAccountNextIndexAsync(AccountId.FromPublicKey(signer.PublicKey), cancel);
        var extrinsic = SignedExtrinsic.Sign(signer, call, nonce, TransactionEra.Immortal, RuntimeVersion.Current, genesis, genesis);
        return await chain.SubmitExtrinsicAsync(extrinsic.Encode(), cancel);
    }

    /// <summary>Waits until the extrinsic is in a block (or failed in one); throws <see cref="TimeoutException"/>.</summary>
    public static async Task<ExtrinsicStatus> WaitForInclusionAsync(this ISubtensor chain, string hash, TimeSpan timeout, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await chain.GetExtrinsicStatusAsync(hash, cancel);
            if (status is { Block: not null }) return status;
            if (clock.Elapsed > timeout) throw new TimeoutException($"extrinsic {hash} was not included within {timeout.TotalSeconds:0} s (status: {status?.State ?? "unknown"})");
            await Task.Delay(20, cancel);
        }
    }

    /// <summary>Submits and waits; returns the outcome (its <c>Error</c> names a failed call).</summary>
    public static async Task<ExtrinsicStatus> SubmitAndWaitAsync(this ISubtensor chain, Sr25519KeyPair signer, Call call, TimeSpan? timeout = null, CancellationToken cancel = default) =>
        await chain.WaitForInclusionAsync(await chain.SubmitAsync(signer, call, cancel), timeout ?? TimeSpan.FromSeconds(60), cancel);
}

/// <summary>The chain in this process.</summary>
public sealed class EmbeddedSubtensor(ChainNode node) : ISubtensor
{
    public ChainNode Node { get; } = node;
    public Task<byte[]> GetGenesisHashAsync(CancellationToken cancel = default) => Task.FromResult(Node.GenesisHash);
    public Task<Header> GetHeaderAsync(CancellationToken cancel = default) => Task.FromResult(Node.BestHeader);
    public Task<uint> GetAccountNextIndexAsync(AccountId account, CancellationToken cancel = default) => Task.FromResult(Node.NextIndex(account));
    public Task<ulong> GetBalanceAsync(AccountId account, CancellationToken cancel = default) => Task.FromResult(Node.Read(s => s.Balance(account)));
    public Task<IReadOnlyList<ushort>> GetSubnetsAsync(CancellationToken cancel = default) => Task.FromResult<IReadOnlyList<ushort>>(Node.Read(s => s.Subnets.Keys.ToArray()));
    public Task<Metagraph?> GetMetagraphAsync(ushort netuid, CancellationToken cancel = default) =>
        Task.FromResult(Node.Read(s => s.Subnets.TryGetValue(netuid, out var subnet) ? Metagraph.Of(s, subnet) : null));
    public Task<string> SubmitExtrinsicAsync(byte[] extrinsic, CancellationToken cancel = default) => Task.FromResult(Node.Submit(extrinsic));
    public Task<ExtrinsicStatus?> GetExtrinsicStatusAsync(string hash, CancellationToken cancel = default) => Task.FromResult(Node.Status(hash));
}
