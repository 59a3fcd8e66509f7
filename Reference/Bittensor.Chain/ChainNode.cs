using System.Collections.Concurrent;

namespace Bittensor.Chain;

/// <summary>Where an extrinsic stands: waiting in the pool, or in a block with its outcome.</summary>
public sealed record ExtrinsicStatus(string Hash, string State, ulong? Block, string? Call, string? Error);

/// <summary>
/// The embedded chain: the state, the blocks, the transaction pool and block production, persisted through
/// <see cref="ChainStore"/>. Thread-safe: one lock orders submissions, block production and reads.
/// </summary>
public sealed class ChainNode : IDisposable
{
    /// <summary>The pool holds at most this many extrinsics; beyond it submissions are refused (<c>ExhaustsResources</c>).</summary>
    public const int PoolCapacity = 20_000;
    /// <summary>A pooled extrinsic may run at most this far ahead of its account's next nonce.</summary>
    public const uint MaxFutureNonces = 64;

    private readonly object _gate = new();
    private readonly ChainStore? _store;
    private readonly int _snapshotEvery;
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<string, (ulong Block, int Index)> _included = new(StringComparer.Ordinal);
    private readonly List<(string Hash, byte[] Bytes, SignedExtrinsic Extrinsic)> _pool = [];
    private readonly HashSet<string> _poolHashes = new(StringComparer.Ordinal);
    private readonly HashSet<(AccountId, uint)> _poolNonces = [];
    private readonly Dictionary<string, ulong> _numberByHash = new(StringComparer.Ordinal);
    private ChainState _state;

    public GenesisConfig Genesis { get; }
    public byte[] GenesisHash => _blocks[0].Hash();

    /// <summary>Raised after each new block, outside the lock.</summary>
    public event Action<Block>? NewBlock;

    private ChainNode(GenesisConfig genesis, ChainStore? store, int snapshotEvery, ChainState state)
    {
        Genesis = genesis;
        _store = store;
        _snapshotEvery = snapshotEvery;
        _state = state;
    }

    /// <summary>Opens the chain in <paramref name="databasePath"/> (null: in memory only), creating it from
    /// <paramref name="genesis"/> (default: the development genesis) when new. An existing database is restored from
    /// its latest snapshot and the blocks after it are replayed; each replayed block must reproduce the state root in
    /// its header, or opening fails saying which block disagrees.</summary>
    public static ChainNode Open(string? databasePath, GenesisConfig? genesis = null, int snapshotEvery = 256)
    {
        var store = databasePath is null ? null : new ChainStore(databasePath);
        try
        {
            var stored = store?.ReadGenesis();
            if (stored is null)
            {
                var config = genesis ?? GenesisConfig.Development();
                var state = Runtime.Genesis(config);
                var node = new ChainNode(config, store, snapshotEvery, state);
                var header = new Header(new byte[32], 0, StateCodec.StateRoot(state), Header.ExtrinsicsRootOf([]));
                var block = new Block(header, [], [], []);
                store?.Append(block, StateCodec.Encode(state), config);
                node.AddBlock(block);
                return node;
            }
            return Restore(store!, stored, snapshotEvery);
        }
        catch
        {
            store?.Dispose();
            throw;
        }
    }

    private static ChainNode Restore(ChainStore store, GenesisConfig genesis, int snapshotEvery)
    {
        var blocks = store.BlocksAfter(-1).ToList();
        if (blocks.Count == 0 || blocks[0].Header.Number != 0) throw new InvalidDataException("the database has a genesis configuration but no genesis block");
        for (var i = 0; i < blocks.Count; i++)
            if (blocks[i].Header.Number != (ulong)i || (i > 0 && !blocks[i].Header.ParentHash.AsSpan().SequenceEqual(blocks[i - 1].Hash())))
                throw new InvalidDataException($"the stored chain is broken at block {i}: its number or parent hash does not follow block {i - 1}");
        var (snapshotNumber, snapshot) = store.LatestSnapshot() ?? throw new InvalidDataException("the database holds no state snapshot");
        var state = StateCodec.Decode(snapshot);
        if (!StateCodec.StateRoot(state).AsSpan().SequenceEqual(blocks[(int)snapshotNumber].Header.StateRoot))
            throw new InvalidDataException($"the snapshot at block {snapshotNumber} does not match that block's state root");
        var node = new ChainNode(genesis, store, snapshotEvery, state);
        foreach (var block in blocks) node.AddBlock(block);
        for (var n = 0; n < blocks.Count; n++)
            for (var i = 0; i < blocks[n].Outcomes.Count; i++) node._included[Convert.ToHexStringLower(blocks[n].Outcomes[i].Hash)] = ((ulong)n, i);
        foreach (var block in blocks.Skip((int)snapshotNumber + 1))
        {
            Runtime.BeginBlock(state, block.Header.Number);
            foreach (var bytes in block.Extrinsics)
            {
                var extrinsic = SignedExtrinsic.Decode(bytes);
                Runtime.Apply(state, extrinsic, extrinsic.Hash());
            }
            if (!StateCodec.StateRoot(state).AsSpan().SequenceEqual(block.Header.StateRoot))
                throw new InvalidDataException($"replaying block {block.Header.Number} gives a different state root than its header holds");
        }
        return node;
    }

    private void AddBlock(Block block)
    {
        _blocks.Add(block);
        _numberByHash[Convert.ToHexStringLower(block.Hash())] = block.Header.Number;
    }

    public Header BestHeader { get { lock (_gate) return _blocks[^1].Header; } }

    public Block? BlockAt(ulong number) { lock (_gate) return number < (ulong)_blocks.Count ? _blocks[(int)number] : null; }

    public Block? BlockByHash(byte[] hash)
    {
        lock (_gate) return _numberByHash.TryGetValue(Convert.ToHexStringLower(hash), out var n) ? _blocks[(int)n] : null;
    }

    /// <summary>Runs <paramref name="read"/> on the current state under the lock; it must not keep references.</summary>
    public T Read<T>(Func<ChainState, T> read) { lock (_gate) return read(_state); }

    public int PoolSize { get { lock (_gate) return _pool.Count; } }

    /// <summary>The nonce an account's next extrinsic should carry: its state nonce, past any it has waiting in the pool
    /// (<c>system_accountNextIndex</c>).</summary>
    public uint NextIndex(AccountId account)
    {
        lock (_gate)
        {
            var next = _state.Nonces.GetValueOrDefault(account);
            while (_poolNonces.Contains((account, next))) next++;
            return next;
        }
    }

    /// <summary>Validates an encoded extrinsic and queues it; returns its hash (0x hex). Throws
    /// <see cref="InvalidTransactionException"/> saying what is wrong; a refused extrinsic changes nothing.</summary>
    public string Submit(byte[] bytes)
    {
        var extrinsic = SignedExtrinsic.Decode(bytes);
        var hash = Convert.ToHexStringLower(extrinsic.Hash());
        lock (_gate)
        {
            if (_included.ContainsKey(hash) || _poolHashes.Contains(hash)) throw new InvalidTransactionException("AlreadyImported", $"extrinsic 0x{hash} is already known");
            if (_pool.Count >= PoolCapacity) throw new InvalidTransactionException("ExhaustsResources", $"the transaction pool is full ({PoolCapacity})");
            Runtime.Validate(_state, extrinsic, GenesisHash, HashAt, allowFuture: true);
            var expected = _state.Nonces.GetValueOrDefault(extrinsic.Signer);
            if (extrinsic.Nonce > expected + MaxFutureNonces) throw new InvalidTransactionException("Future", $"nonce {extrinsic.Nonce} is more than {MaxFutureNonces} ahead of the account's next nonce {expected}");
            if (_poolNonces.Contains((extrinsic.Signer, extrinsic.Nonce)))
                throw new InvalidTransactionException("TooLowPriority", $"another extrinsic from {extrinsic.Signer.Ss58} with nonce {extrinsic.Nonce} is already waiting");
            _pool.Add((hash, bytes, extrinsic));
            _poolHashes.Add(hash);
            _poolNonces.Add((extrinsic.Signer, extrinsic.Nonce));
        }
        return "0x" + hash;
    }

    private byte[]? HashAt(ulong number) => number < (ulong)_blocks.Count ? _blocks[(int)number].Hash() : null;

    public ExtrinsicStatus? Status(string hash)
    {
        var key = hash.StartsWith("0x", StringComparison.Ordinal) ? hash[2..].ToLowerInvariant() : hash.ToLowerInvariant();
        lock (_gate)
        {
            if (_included.TryGetValue(key, out var at))
            {
                var outcome = _blocks[(int)at.Block].Outcomes[at.Index];
                return new ExtrinsicStatus("0x" + key, outcome.Success ? "InBlock" : "Failed", at.Block, outcome.Call, outcome.Error);
            }
            return _poolHashes.Contains(key) ? new ExtrinsicStatus("0x" + key, "Ready", null, null, null) : null;
        }
    }

    /// <summary>Produces the next block: steps the subnets, applies the pool's extrinsics whose nonces are due (in
    /// nonce order per account, in arrival order across accounts), seals and persists it. The new state replaces the
    /// old only once the block is stored.</summary>
    public Block ProduceBlock()
    {
        Block block;
        lock (_gate)
        {
            var state = _state.Clone();
            var number = state.Block + 1;
            var epochs = Runtime.BeginBlock(state, number);
            var applied = new List<(string Hash, byte[] Bytes)>();
            var appliedHashes = new HashSet<string>(StringComparer.Ordinal);
            var outcomes = new List<ExtrinsicOutcome>();
            var dropped = new HashSet<string>(StringComparer.Ordinal);
            bool progress;
            do
            {
                progress = false;
                foreach (var (hash, bytes, x) in _pool)
                {
                    if (dropped.Contains(hash) || appliedHashes.Contains(hash)) continue;
                    var expected = state.Nonces.GetValueOrDefault(x.Signer);
                    if (x.Nonce != expected) { if (x.Nonce < expected) dropped.Add(hash); continue; }
                    if (!x.Era.IsImmortal && number >= x.Era.Death(number)) { dropped.Add(hash); continue; }
                    outcomes.Add(Runtime.Apply(state, x, Convert.FromHexString(hash)));
                    applied.Add((hash, bytes));
                    appliedHashes.Add(hash);
                    progress = true;
                }
            } while (progress);
            var extrinsics = applied.Select(a => a.Bytes).ToList();
            var header = new Header(_blocks[^1].Hash(), number, StateCodec.StateRoot(state), Header.ExtrinsicsRootOf(extrinsics));
            block = new Block(header, extrinsics, outcomes, epochs);
            _store?.Append(block, number % (ulong)_snapshotEvery == 0 ? StateCodec.Encode(state) : null);
            _state = state;
            AddBlock(block);
            for (var i = 0; i < applied.Count; i++) _included[applied[i].Hash] = (number, i);
            foreach (var (hash, _, x) in _pool.Where(p => dropped.Contains(p.Hash) || appliedHashes.Contains(p.Hash)))
            {
                _poolHashes.Remove(hash);
                _poolNonces.Remove((x.Signer, x.Nonce));
            }
            _pool.RemoveAll(p => dropped.Contains(p.Hash) || appliedHashes.Contains(p.Hash));
        }
        NewBlock?.Invoke(block);
        return block;
    }

    /// <summary>Produces blocks until cancelled: every <paramref name="blockTime"/>, or, with a zero block time
    /// (instant seal), as soon as an extrinsic is waiting.</summary>
    public async Task RunAsync(TimeSpan blockTime, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                if (blockTime > TimeSpan.Zero) await Task.Delay(blockTime, cancel);
                else
                {
                    while (PoolSize == 0) await Task.Delay(5, cancel);
                }
            }
            catch (OperationCanceledException) { return; }
            ProduceBlock();
        }
    }

    public void Dispose() => _store?.Dispose();
}
