using Bittensor.Consensus;

namespace Bittensor.Chain;

/// <summary>An account: a 32-byte public key. Written as <c>0x</c> + 64 lowercase hex digits, as the spec and the vectors
/// write it; ordered as its bytes are (which is the ordinal order of that text).</summary>
public readonly struct AccountId : IEquatable<AccountId>, IComparable<AccountId>
{
    private readonly string _hex;

    private AccountId(string hex) => _hex = hex;

    public static AccountId FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32) throw new ArgumentException($"an account is a 32-byte public key, got {publicKey.Length} bytes", nameof(publicKey));
        return new("0x" + Convert.ToHexStringLower(publicKey));
    }

    /// <summary>Parses <c>0x</c> + 64 hex digits (either case).</summary>
    public static AccountId Parse(string hex)
    {
        if (hex.Length != 66 || !hex.StartsWith("0x", StringComparison.Ordinal) || !hex.Skip(2).All(Uri.IsHexDigit))
            throw new FormatException($"an account is 0x followed by 64 hex digits, got \"{hex}\"");
        return new(hex.ToLowerInvariant());
    }

    public string Hex => _hex ?? throw new InvalidOperationException("an uninitialised AccountId");
    public byte[] PublicKey => Convert.FromHexString(Hex.AsSpan(2));
    public string Ss58 => Bittensor.Identity.Ss58.Encode(PublicKey);

    public bool Equals(AccountId other) => string.Equals(_hex, other._hex, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is AccountId other && Equals(other);
    public override int GetHashCode() => _hex is null ? 0 : StringComparer.Ordinal.GetHashCode(_hex);
    public int CompareTo(AccountId other) => string.CompareOrdinal(_hex, other._hex);
    public static bool operator ==(AccountId a, AccountId b) => a.Equals(b);
    public static bool operator !=(AccountId a, AccountId b) => !a.Equals(b);
    public override string ToString() => Hex;
}

/// <summary>Where a neuron serves (<c>AxonInfo</c>); <see cref="Ip"/> holds IPv4 in its low 32 bits.</summary>
public sealed record AxonInfo(ulong Block, uint Version, UInt128 Ip, ushort Port, byte IpType, byte Protocol, byte Placeholder1, byte Placeholder2);

/// <summary>One registered neuron (a uid); the epoch's results are stored back on it.</summary>
public sealed class Neuron
{
    public required AccountId Hotkey { get; init; }
    public required AccountId Coldkey { get; init; }
    public required ulong RegistrationBlock { get; init; }
    public ulong LastUpdate { get; set; }
    /// <summary>Stored weights, (uid, u16) in submission order.</summary>
    public StoredEntry[] Weights { get; set; } = [];
    public StoredEntry[] Bonds { get; set; } = [];
    public AxonInfo? Axon { get; set; }
    public bool ValidatorPermit { get; set; }
    public bool Active { get; set; } = true;
    public ushort StakeWeight { get; set; }
    public ushort Consensus { get; set; }
    public ushort Incentive { get; set; }
    public ushort Dividends { get; set; }
    public ushort ValidatorTrust { get; set; }
    /// <summary>The last epoch's combined emission (rao): what pruning ranks by.</summary>
    public ulong Emission { get; set; }

    public Neuron Clone() => (Neuron)MemberwiseClone();
}

/// <summary>A commit-reveal (v2) commitment: the hash, the epoch index and the block it was made in.</summary>
public sealed record WeightCommit(byte[] Hash, ulong CommitEpoch, ulong CommitBlock);

/// <summary>A subnet's parameters beyond the epoch's; field for field the spec's <c>SubnetParameters</c>
/// (<c>Spec/Subnet/Types.fs</c>), where each is documented.</summary>
public sealed record SubnetParameters(
    Hyperparameters Epoch,
    int MaxAllowedUids,
    ulong ImmunityPeriod,
    int MinNonImmuneUids,
    int ImmuneOwnerUidsLimit,
    ulong WeightsRateLimit,
    int MinAllowedWeights,
    ulong WeightsVersionKey,
    ushort MaxWeightLimit,
    ulong WeightsMinStake,
    ulong RevealPeriodEpochs,
    int MaxUnrevealedCommits,
    ulong Burn,
    ulong MinBurn,
    ulong MaxBurn,
    ushort AdjustmentInterval,
    ushort TargetRegistrationsPerInterval,
    ulong AdjustmentAlpha,
    int MaxRegistrationsPerBlock,
    ulong MinStake,
    ulong ServingRateLimit,
    ulong AlphaEmissionPerBlock,
    ushort SubnetOwnerCut,
    ulong MaxTempo)
{
    /// <summary>The production defaults (the spec's <c>State.defaultParameters</c>).</summary>
    public static SubnetParameters Defaults { get; } = new(
        Epoch: new Hyperparameters(Era.Current, ActivityCutoff: 5000, Tempo: 360, ActivityCutoffFactorMilli: 13889, Kappa: 32767,
            BondsPenalty: 65535, BondsMovingAverage: 900000, MaxAllowedValidators: 64, StakeThreshold: 0, TaoWeight: 0, Yuma3: true,
            LiquidAlpha: false, AlphaLow: 45875, AlphaHigh: 58982, AlphaSigmoidSteepness: 1000, CommitReveal: false),
        MaxAllowedUids: 256, ImmunityPeriod: 5000, MinNonImmuneUids: 10, ImmuneOwnerUidsLimit: 1, WeightsRateLimit: 100,
        MinAllowedWeights: 1, WeightsVersionKey: 0, MaxWeightLimit: 65535, WeightsMinStake: 0, RevealPeriodEpochs: 1,
        MaxUnrevealedCommits: 10, Burn: 1_000_000_000, MinBurn: 500_000, MaxBurn: 100_000_000_000, AdjustmentInterval: 100,
        TargetRegistrationsPerInterval: 2, AdjustmentAlpha: 0, MaxRegistrationsPerBlock: 1, MinStake: 500_000,
        ServingRateLimit: 50, AlphaEmissionPerBlock: 1_000_000_000, SubnetOwnerCut: 11796, MaxTempo: 50400);
}

/// <summary>One subnet as the chain keeps it: the spec's <c>SubnetState</c> less the block and the balances, which are
/// the chain's (<see cref="ChainState"/>).</summary>
public sealed class Subnet
{
    public required ushort Netuid { get; init; }
    public required AccountId OwnerColdkey { get; init; }
    public required AccountId OwnerHotkey { get; init; }
    public required SubnetParameters Parameters { get; set; }
    /// <summary>Neurons by uid.</summary>
    public List<Neuron> Neurons { get; init; } = [];
    /// <summary>Alpha stake in rao by (hotkey, coldkey).</summary>
    public SortedDictionary<(AccountId Hotkey, AccountId Coldkey), ulong> Stake { get; init; } = new();
    public int RegistrationsThisBlock { get; set; }
    public ulong LastAdjustmentBlock { get; set; }
    public ushort RegistrationsThisInterval { get; set; }
    public ushort BurnRegistrationsThisInterval { get; set; }
    public ulong LastEpochBlock { get; set; }
    public ulong PendingEpochAt { get; set; }
    public ulong BlocksSinceLastStep { get; set; }
    public ulong EpochIndex { get; set; }
    public ulong LastMechanismStepBlock { get; set; }
    public ulong PendingServerEmission { get; set; }
    public ulong PendingValidatorEmission { get; set; }
    public ulong PendingOwnerCut { get; set; }
    /// <summary>Unrevealed commitments per hotkey, oldest first.</summary>
    public SortedDictionary<AccountId, List<WeightCommit>> WeightCommits { get; init; } = new();

    public int? UidOf(AccountId hotkey)
    {
        for (var uid = 0; uid < Neurons.Count; uid++) if (Neurons[uid].Hotkey == hotkey) return uid;
        return null;
    }

    /// <summary>A hotkey's alpha stake: the sum over the coldkeys staking on it.</summary>
    public ulong HotkeyStake(AccountId hotkey)
    {
        ulong total = 0;
        foreach (var (key, amount) in Stake) if (key.Hotkey == hotkey) total = checked(total + amount);
        return total;
    }

    public Subnet Clone() => new()
    {
        Netuid = Netuid, OwnerColdkey = OwnerColdkey, OwnerHotkey = OwnerHotkey, Parameters = Parameters,
        Neurons = Neurons.Select(n => n.Clone()).ToList(), Stake = new(Stake), RegistrationsThisBlock = RegistrationsThisBlock,
        LastAdjustmentBlock = LastAdjustmentBlock, RegistrationsThisInterval = RegistrationsThisInterval,
        BurnRegistrationsThisInterval = BurnRegistrationsThisInterval, LastEpochBlock = LastEpochBlock, PendingEpochAt = PendingEpochAt,
        BlocksSinceLastStep = BlocksSinceLastStep, EpochIndex = EpochIndex, LastMechanismStepBlock = LastMechanismStepBlock,
        PendingServerEmission = PendingServerEmission, PendingValidatorEmission = PendingValidatorEmission, PendingOwnerCut = PendingOwnerCut,
        WeightCommits = new(WeightCommits.ToDictionary(kv => kv.Key, kv => kv.Value.ToList())),
    };
}

/// <summary>The whole chain's state: the block, free balances, account nonces and the subnets.</summary>
public sealed class ChainState
{
    public ulong Block { get; set; }
    /// <summary>Free TAO in rao by account.</summary>
    public SortedDictionary<AccountId, ulong> Balances { get; init; } = new();
    /// <summary>The next nonce each account must use.</summary>
    public SortedDictionary<AccountId, uint> Nonces { get; init; } = new();
    public SortedDictionary<ushort, Subnet> Subnets { get; init; } = new();
    /// <summary>TAO locked (burned) to create a subnet.</summary>
    public ulong SubnetLockCost { get; set; } = 100_000_000_000;

    public ulong Balance(AccountId account) => Balances.GetValueOrDefault(account);

    /// <summary>Sets a free balance. An emptied account keeps its entry (no existential deposit, no reaping), as the
    /// spec keeps it.</summary>
    public void SetBalance(AccountId account, ulong amount) => Balances[account] = amount;

    public ChainState Clone() => new()
    {
        Block = Block, Balances = new(Balances), Nonces = new(Nonces), SubnetLockCost = SubnetLockCost,
        Subnets = new(Subnets.ToDictionary(kv => kv.Key, kv => kv.Value.Clone())),
    };
}
