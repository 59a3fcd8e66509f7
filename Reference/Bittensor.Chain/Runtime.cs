using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>The chain's starting point: endowed accounts and the subnet lock cost.</summary>
public sealed record GenesisConfig(string ChainName, IReadOnlyList<(AccountId Account, ulong Balance)> Endowed, ulong SubnetLockCost)
{
    /// <summary>The well-known development accounts (<c>//Alice</c> … <c>//Ferdie</c>), each endowed with 1 000 000 TAO.</summary>
    public static readonly string[] DevAccounts = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

    public static GenesisConfig Development() => new("Bittensor development chain",
        DevAccounts.Select(name => (AccountId.FromPublicKey(SecretUri.Parse("//" + name).ToSr25519().PublicKey), 1_000_000_000_000_000UL)).ToList(),
        SubnetLockCost: 100_000_000_000);

    public byte[] Encode() => new ScaleWriter().Str(ChainName).Vec(Endowed.ToList(), (w, e) => w.Fixed(e.Account.PublicKey).U64(e.Balance)).U64(SubnetLockCost).ToArray();

    public static GenesisConfig Decode(byte[] bytes)
    {
        var r = new ScaleReader(bytes);
        var config = new GenesisConfig(r.Str(1024), r.Vec(x => (StateCodec.Account(x), x.U64())), r.U64());
        r.End();
        return config;
    }
}

/// <summary>
/// The state transition function: what a block does to the chain state. Deterministic and free of I/O, so a block
/// replayed from the database reproduces its state root. A block first steps every subnet (registration terms,
/// emission, epochs; <see cref="SubnetRules.Step"/>), then applies its extrinsics in order.
/// </summary>
public static class Runtime
{
    public static ChainState Genesis(GenesisConfig config)
    {
        var state = new ChainState { Block = 0, SubnetLockCost = config.SubnetLockCost };
        foreach (var (account, balance) in config.Endowed) state.Balances[account] = checked(state.Balance(account) + balance);
        return state;
    }

    /// <summary>Moves the state to block <paramref name="number"/> and runs every subnet's block step, in netuid order.
    /// Returns the netuids whose epoch ran.</summary>
    public static List<ushort> BeginBlock(ChainState state, ulong number)
    {
        state.Block = number;
        var epochs = new List<ushort>();
        foreach (var subnet in state.Subnets.Values)
            if (SubnetRules.Step(subnet, number) is not null) epochs.Add(subnet.Netuid);
        return epochs;
    }

    /// <summary>Checks an extrinsic against the state for inclusion at the current block: the era is live, the nonce is
    /// the signer's next one, and the signature is good. Throws <see cref="InvalidTransactionException"/>.</summary>
    public static void Validate(ChainState state, SignedExtrinsic x, byte[] genesisHash, Func<ulong, byte[]?> blockHash, bool allowFuture = false)
    {
        var current = state.Block;
        var birth = x.Era.Birth(current);
        if (!x.Era.IsImmortal && current >= x.Era.Death(current)) throw new InvalidTransactionException("Outdated", $"its era ended at block {x.Era.Death(current)}");
        var birthHash = x.Era.IsImmortal ? genesisHash : blockHash(birth)
            ?? throw new InvalidTransactionException("AncientBirthBlock", $"its era starts at block {birth}, which this chain does not have");
        var expected = state.Nonces.GetValueOrDefault(x.Signer);
        if (x.Nonce < expected) throw new InvalidTransactionException("Stale", $"nonce {x.Nonce} was already used; the account's next nonce is {expected}");
        if (x.Nonce > expected && !allowFuture) throw new InvalidTransactionException("Future", $"nonce {x.Nonce} is ahead of the account's next nonce {expected}");
        if (!x.VerifySignature(RuntimeVersion.Current, genesisHash, birthHash))
            throw new InvalidTransactionException("BadProof", $"the sr25519 signature does not verify for signer {x.Signer.Ss58}");
    }

    /// <summary>Applies a validated extrinsic: uses its nonce, then dispatches its call. A failed call changes nothing
    /// but the nonce.</summary>
    public static ExtrinsicOutcome Apply(ChainState state, SignedExtrinsic x, byte[] hash)
    {
        state.Nonces[x.Signer] = x.Nonce + 1;
        var error = Dispatch(state, x.Signer, x.Call);
        return new ExtrinsicOutcome(hash, x.Call.Name, error?.ToString());
    }

    /// <summary>Runs one call for <paramref name="origin"/> (the signer). Returns the named error, or null.</summary>
    public static SubnetError? Dispatch(ChainState state, AccountId origin, Call call)
    {
        switch (call)
        {
            case Call.Transfer t:
                if (state.Balance(origin) < t.Amount) return SubnetError.InsufficientBalance;
                state.SetBalance(origin, state.Balance(origin) - t.Amount);
                state.SetBalance(t.Destination, checked(state.Balance(t.Destination) + t.Amount));
                return null;
            case Call.RegisterNetwork r:
                return RegisterNetwork(state, origin, r.Hotkey);
            case Call.SetSubnetParameter p:
                return WithSubnet(state, p.Netuid, s => s.OwnerColdkey != origin ? SubnetError.NotSubnetOwner : SetParameter(s, p.Parameter, p.Value));
            case Call.BurnedRegister b: return WithSubnet(state, b.Netuid, s => SubnetRules.Register(state, s, origin, b.Hotkey));
            case Call.ServeAxon a: return WithSubnet(state, a.Netuid, s => SubnetRules.ServeAxon(state, s, origin, a.Version, a.Ip, a.Port, a.IpType, a.Protocol));
            case Call.SetWeights w: return WithSubnet(state, w.Netuid, s => SubnetRules.SetWeights(state, s, origin, w.Dests, w.Weights, w.VersionKey));
            case Call.CommitWeights c: return WithSubnet(state, c.Netuid, s => SubnetRules.Commit(state, s, origin, c.CommitHash));
            case Call.RevealWeights r: return WithSubnet(state, r.Netuid, s => SubnetRules.Reveal(state, s, origin, r.Uids, r.Values, r.Salt, r.VersionKey));
            case Call.AddStake a: return WithSubnet(state, a.Netuid, s => SubnetRules.AddStake(state, s, origin, a.Hotkey, a.Amount));
            case Call.RemoveStake r: return WithSubnet(state, r.Netuid, s => SubnetRules.RemoveStake(state, s, origin, r.Hotkey, r.Amount));
            default: throw new InvalidOperationException($"no dispatch for {call.Name}");
        }
    }

    private static SubnetError? WithSubnet(ChainState state, ushort netuid, Func<Subnet, SubnetError?> action) =>
        state.Subnets.TryGetValue(netuid, out var subnet) ? action(subnet) : SubnetError.SubnetNotExists;

    /// <summary><c>register_network</c>: the signer pays the lock cost and owns a new subnet with the default parameters
    /// at the lowest free netuid ≥ 1; its hotkey takes uid 0 without paying the burn.</summary>
    public static SubnetError? RegisterNetwork(ChainState state, AccountId owner, AccountId hotkey)
    {
        if (state.Balance(owner) < state.SubnetLockCost) return SubnetError.InsufficientBalance;
        ushort netuid = 1;
        while (state.Subnets.ContainsKey(netuid)) { if (netuid == ushort.MaxValue) return SubnetError.TooManySubnets; netuid++; }
        state.SetBalance(owner, state.Balance(owner) - state.SubnetLockCost);
        var subnet = SubnetRules.Create(netuid, owner, hotkey, SubnetParameters.Defaults, state.Block);
        subnet.Neurons.Add(new Neuron { Hotkey = hotkey, Coldkey = owner, RegistrationBlock = state.Block, LastUpdate = state.Block });
        state.Subnets[netuid] = subnet;
        return null;
    }

    /// <summary>Sets one subnet parameter. The value must fit the parameter's type (u16 parameters ≤ 65 535, switches
    /// 0 or 1, counts ≤ 2^31 − 1); <c>TargetRegistrationsPerInterval</c> ≥ 1; <c>MinBurn</c> ≤ <c>MaxBurn</c>;
    /// <c>AlphaLow</c> ≤ <c>AlphaHigh</c>; <c>MaxAllowedUids</c> at least the current number of uids and ≥ 1.
    /// Anything else is <c>InvalidParameterValue</c>.</summary>
    public static SubnetError? SetParameter(Subnet s, SubnetParameter parameter, ulong value)
    {
        var p = s.Parameters;
        var e = p.Epoch;
        bool U16(out ushort v) { v = (ushort)Math.Min(value, ushort.MaxValue); return value <= ushort.MaxValue; }
        bool Flag(out bool v) { v = value == 1; return value <= 1; }
        bool Count(out int v) { v = (int)Math.Min(value, int.MaxValue); return value <= int.MaxValue; }
        SubnetParameters? next = parameter switch
        {
            SubnetParameter.Tempo => U16(out var v) ? p with { Epoch = e with { Tempo = v } } : null,
            SubnetParameter.ActivityCutoff => U16(out var v) ? p with { Epoch = e with { ActivityCutoff = v } } : null,
            SubnetParameter.Kappa => U16(out var v) ? p with { Epoch = e with { Kappa = v } } : null,
            SubnetParameter.BondsPenalty => U16(out var v) ? p with { Epoch = e with { BondsPenalty = v } } : null,
            SubnetParameter.BondsMovingAverage => p with { Epoch = e with { BondsMovingAverage = value } },
            SubnetParameter.MaxAllowedValidators => U16(out var v) ? p with { Epoch = e with { MaxAllowedValidators = v } } : null,
            SubnetParameter.Yuma3 => Flag(out var v) ? p with { Epoch = e with { Yuma3 = v } } : null,
            SubnetParameter.LiquidAlpha => Flag(out var v) ? p with { Epoch = e with { LiquidAlpha = v } } : null,
            SubnetParameter.AlphaLow => U16(out var v) && v <= e.AlphaHigh ? p with { Epoch = e with { AlphaLow = v } } : null,
            SubnetParameter.AlphaHigh => U16(out var v) && v >= e.AlphaLow ? p with { Epoch = e with { AlphaHigh = v } } : null,
            SubnetParameter.CommitReveal => Flag(out var v) ? p with { Epoch = e with { CommitReveal = v } } : null,
            SubnetParameter.RevealPeriodEpochs => p with { RevealPeriodEpochs = value },
            SubnetParameter.ImmunityPeriod => p with { ImmunityPeriod = value },
            SubnetParameter.MinAllowedWeights => Count(out var v) ? p with { MinAllowedWeights = v } : null,
            SubnetParameter.MaxAllowedUids => Count(out var v) && v >= Math.Max(1, s.Neurons.Count) ? p with { MaxAllowedUids = v } : null,
            SubnetParameter.WeightsRateLimit => p with { WeightsRateLimit = value },
            SubnetParameter.WeightsVersionKey => p with { WeightsVersionKey = value },
            SubnetParameter.MaxWeightLimit => U16(out var v) ? p with { MaxWeightLimit = v } : null,
            SubnetParameter.WeightsMinStake => p with { WeightsMinStake = value },
            SubnetParameter.Burn => p with { Burn = value },
            SubnetParameter.MinBurn => value <= p.MaxBurn ? p with { MinBurn = value } : null,
            SubnetParameter.MaxBurn => value >= p.MinBurn ? p with { MaxBurn = value } : null,
            SubnetParameter.AdjustmentInterval => U16(out var v) ? p with { AdjustmentInterval = v } : null,
            SubnetParameter.TargetRegistrationsPerInterval => U16(out var v) && v >= 1 ? p with { TargetRegistrationsPerInterval = v } : null,
            SubnetParameter.AdjustmentAlpha => p with { AdjustmentAlpha = value },
            SubnetParameter.MaxRegistrationsPerBlock => Count(out var v) ? p with { MaxRegistrationsPerBlock = v } : null,
            SubnetParameter.ServingRateLimit => p with { ServingRateLimit = value },
            SubnetParameter.MinStake => p with { MinStake = value },
            SubnetParameter.ImmuneOwnerUidsLimit => Count(out var v) ? p with { ImmuneOwnerUidsLimit = v } : null,
            SubnetParameter.MinNonImmuneUids => Count(out var v) ? p with { MinNonImmuneUids = v } : null,
            _ => null,
        };
        if (next is null) return SubnetError.InvalidParameterValue;
        s.Parameters = next;
        return null;
    }
}
