using Bittensor.Consensus;
using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>
/// The chain state as SCALE bytes: every field, maps in key order, so equal states encode equally. The state root is
/// BLAKE2b-256 of this encoding (a flat commitment, not Substrate's storage trie: it lets anyone holding the state
/// check the root, not prove a single entry). Snapshots in the database are the same bytes.
/// </summary>
public static class StateCodec
{
    /// <summary>Bumped when the layout changes; a snapshot of another version is refused.</summary>
    public const byte Version = 1;

    public static byte[] Encode(ChainState state)
    {
        var w = new ScaleWriter().U8(Version).U64(state.Block).U64(state.SubnetLockCost);
        w.Vec(state.Balances.ToList(), (x, kv) => x.Fixed(kv.Key.PublicKey).U64(kv.Value));
        w.Vec(state.Nonces.ToList(), (x, kv) => x.Fixed(kv.Key.PublicKey).U32(kv.Value));
        w.Vec(state.Subnets.Values.ToList(), WriteSubnet);
        return w.ToArray();
    }

    public static byte[] StateRoot(ChainState state) => Hashing.Blake2b256(Encode(state));

    public static ChainState Decode(byte[] bytes)
    {
        var r = new ScaleReader(bytes);
        var version = r.U8();
        if (version != Version) throw new ScaleException($"state encoding version {version}, this node reads {Version}");
        var state = new ChainState { Block = r.U64(), SubnetLockCost = r.U64() };
        foreach (var (account, amount) in r.Vec(x => (Account(x), x.U64()))) state.Balances[account] = amount;
        foreach (var (account, nonce) in r.Vec(x => (Account(x), x.U32()))) state.Nonces[account] = nonce;
        foreach (var subnet in r.Vec(ReadSubnet, 65535)) state.Subnets[subnet.Netuid] = subnet;
        r.End();
        return state;
    }

    public static AccountId Account(ScaleReader r) => AccountId.FromPublicKey(r.Fixed(32));

    private static void WriteEntries(ScaleWriter w, StoredEntry[] entries) => w.Vec(entries, (x, e) => x.U32((uint)e.Uid).U16(e.Value));
    private static StoredEntry[] ReadEntries(ScaleReader r) => r.Vec(x => new StoredEntry((int)x.U32(), x.U16()), 65535);

    public static void WriteHyperparameters(ScaleWriter w, Hyperparameters h) =>
        w.U8((byte)h.Era).U16(h.ActivityCutoff).U16(h.Tempo).U64(h.ActivityCutoffFactorMilli).U16(h.Kappa).U16(h.BondsPenalty)
         .U64(h.BondsMovingAverage).U16(h.MaxAllowedValidators).U64(h.StakeThreshold).U64(h.TaoWeight).Bool(h.Yuma3)
         .Bool(h.LiquidAlpha).U16(h.AlphaLow).U16(h.AlphaHigh).U16((ushort)h.AlphaSigmoidSteepness).Bool(h.CommitReveal);

    public static Hyperparameters ReadHyperparameters(ScaleReader r)
    {
        var era = r.U8() switch
        {
            0 => Era.Current,
            1 => Era.Before2025_10,
            var b => throw new ScaleException($"era {b} is not 0 (current) or 1 (before 2025-10)"),
        };
        return new Hyperparameters(era, r.U16(), r.U16(), r.U64(), r.U16(), r.U16(), r.U64(), r.U16(), r.U64(), r.U64(), r.Bool(), r.Bool(),
            r.U16(), r.U16(), (short)r.U16(), r.Bool());
    }

    public static void WriteParameters(ScaleWriter w, SubnetParameters p)
    {
        WriteHyperparameters(w, p.Epoch);
        w.U32((uint)p.MaxAllowedUids).U64(p.ImmunityPeriod).U32((uint)p.MinNonImmuneUids).U32((uint)p.ImmuneOwnerUidsLimit)
         .U64(p.WeightsRateLimit).U32((uint)p.MinAllowedWeights).U64(p.WeightsVersionKey).U16(p.MaxWeightLimit).U64(p.WeightsMinStake)
         .U64(p.RevealPeriodEpochs).U32((uint)p.MaxUnrevealedCommits).U64(p.Burn).U64(p.MinBurn).U64(p.MaxBurn).U16(p.AdjustmentInterval)
         .U16(p.TargetRegistrationsPerInterval).U64(p.AdjustmentAlpha).U32((uint)p.MaxRegistrationsPerBlock).U64(p.MinStake)
         .U64(p.ServingRateLimit).U64(p.AlphaEmissionPerBlock).U16(p.SubnetOwnerCut).U64(p.MaxTempo);
    }

    public static SubnetParameters ReadParameters(ScaleReader r) => new(
        ReadHyperparameters(r), Int(r), r.U64(), Int(r), Int(r), r.U64(), Int(r), r.U64(), r.U16(), r.U64(), r.U64(), Int(r), r.U64(), r.U64(),
        r.U64(), r.U16(), r.U16(), r.U64(), Int(r), r.U64(), r.U64(), r.U64(), r.U16(), r.U64());

    private static int Int(ScaleReader r)
    {
        var value = r.U32();
        return value <= int.MaxValue ? (int)value : throw new ScaleException($"a count of {value} is out of range");
    }

    private static void WriteSubnet(ScaleWriter w, Subnet s)
    {
        w.U16(s.Netuid).Fixed(s.OwnerColdkey.PublicKey).Fixed(s.OwnerHotkey.PublicKey);
        WriteParameters(w, s.Parameters);
        w.Vec(s.Neurons, WriteNeuron);
        w.Vec(s.Stake.ToList(), (x, kv) => x.Fixed(kv.Key.Hotkey.PublicKey).Fixed(kv.Key.Coldkey.PublicKey).U64(kv.Value));
        w.U32((uint)s.RegistrationsThisBlock).U64(s.LastAdjustmentBlock).U16(s.RegistrationsThisInterval).U16(s.BurnRegistrationsThisInterval)
         .U64(s.LastEpochBlock).U64(s.PendingEpochAt).U64(s.BlocksSinceLastStep).U64(s.EpochIndex).U64(s.LastMechanismStepBlock)
         .U64(s.PendingServerEmission).U64(s.PendingValidatorEmission).U64(s.PendingOwnerCut);
        w.Vec(s.WeightCommits.ToList(), (x, kv) =>
        {
            x.Fixed(kv.Key.PublicKey);
            x.Vec(kv.Value, (y, c) => y.Fixed(c.Hash).U64(c.CommitEpoch).U64(c.CommitBlock));
        });
    }

    private static Subnet ReadSubnet(ScaleReader r)
    {
        var subnet = new Subnet { Netuid = r.U16(), OwnerColdkey = Account(r), OwnerHotkey = Account(r), Parameters = ReadParameters(r) };
        subnet.Neurons.AddRange(r.Vec(ReadNeuron, 65535));
        foreach (var (hotkey, coldkey, amount) in r.Vec(x => (Account(x), Account(x), x.U64()))) subnet.Stake[(hotkey, coldkey)] = amount;
        subnet.RegistrationsThisBlock = Int(r);
        subnet.LastAdjustmentBlock = r.U64();
        subnet.RegistrationsThisInterval = r.U16();
        subnet.BurnRegistrationsThisInterval = r.U16();
        subnet.LastEpochBlock = r.U64();
        subnet.PendingEpochAt = r.U64();
        subnet.BlocksSinceLastStep = r.U64();
        subnet.EpochIndex = r.U64();
        subnet.LastMechanismStepBlock = r.U64();
        subnet.PendingServerEmission = r.U64();
        subnet.PendingValidatorEmission = r.U64();
        subnet.PendingOwnerCut = r.U64();
        foreach (var (hotkey, commits) in r.Vec(x => (Account(x), x.Vec(y => new WeightCommit(y.Fixed(32), y.U64(), y.U64())))))
            subnet.WeightCommits[hotkey] = [.. commits];
        return subnet;
    }

    private static void WriteNeuron(ScaleWriter w, Neuron n)
    {
        w.Fixed(n.Hotkey.PublicKey).Fixed(n.Coldkey.PublicKey).U64(n.RegistrationBlock).U64(n.LastUpdate);
        WriteEntries(w, n.Weights);
        WriteEntries(w, n.Bonds);
        if (n.Axon is { } a) w.U8(1).U64(a.Block).U32(a.Version).U128(a.Ip).U16(a.Port).U8(a.IpType).U8(a.Protocol).U8(a.Placeholder1).U8(a.Placeholder2);
        else w.U8(0);
        w.Bool(n.ValidatorPermit).Bool(n.Active).U16(n.StakeWeight).U16(n.Consensus).U16(n.Incentive).U16(n.Dividends).U16(n.ValidatorTrust).U64(n.Emission);
    }

    private static Neuron ReadNeuron(ScaleReader r)
    {
        var neuron = new Neuron { Hotkey = Account(r), Coldkey = Account(r), RegistrationBlock = r.U64() };
        neuron.LastUpdate = r.U64();
        neuron.Weights = ReadEntries(r);
        neuron.Bonds = ReadEntries(r);
        neuron.Axon = r.U8() switch
        {
            0 => null,
            1 => new AxonInfo(r.U64(), r.U32(), r.U128(), r.U16(), r.U8(), r.U8(), r.U8(), r.U8()),
            var b => throw new ScaleException($"an axon option tag is 0 or 1, got {b}"),
        };
        neuron.ValidatorPermit = r.Bool();
        neuron.Active = r.Bool();
        neuron.StakeWeight = r.U16();
        neuron.Consensus = r.U16();
        neuron.Incentive = r.U16();
        neuron.Dividends = r.U16();
        neuron.ValidatorTrust = r.U16();
        neuron.Emission = r.U64();
        return neuron;
    }
}
