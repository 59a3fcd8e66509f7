using System.Numerics;
using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>A subnet parameter the owner may change (<c>AdminUtils.sudo_set_*</c> in subtensor). On this development
/// chain the owner may set each of them; values must fit the parameter's type and the few constraints named in
/// <see cref="Runtime.SetParameter"/>.</summary>
public enum SubnetParameter : byte
{
    Tempo, ActivityCutoff, Kappa, BondsPenalty, BondsMovingAverage, MaxAllowedValidators, Yuma3, LiquidAlpha, AlphaLow, AlphaHigh,
    CommitReveal, RevealPeriodEpochs, ImmunityPeriod, MinAllowedWeights, MaxAllowedUids, WeightsRateLimit, WeightsVersionKey,
    MaxWeightLimit, WeightsMinStake, Burn, MinBurn, MaxBurn, AdjustmentInterval, TargetRegistrationsPerInterval, AdjustmentAlpha,
    MaxRegistrationsPerBlock, ServingRateLimit, MinStake, ImmuneOwnerUidsLimit, MinNonImmuneUids,
}

/// <summary>
/// The calls an extrinsic carries, SCALE-encoded as (pallet index, call index, arguments). The names and argument
/// orders are subtensor's (<c>SubtensorModule.burned_register(netuid, hotkey)</c>, …); the pallet and call indices are
/// this chain's own, listed in <c>docs/chain.md</c>.
/// </summary>
public abstract record Call
{
    public const byte BalancesPallet = 5, SubtensorPallet = 7, AdminPallet = 19;

    public sealed record Transfer(AccountId Destination, ulong Amount) : Call;
    public sealed record RegisterNetwork(AccountId Hotkey) : Call;
    public sealed record BurnedRegister(ushort Netuid, AccountId Hotkey) : Call;
    public sealed record ServeAxon(ushort Netuid, uint Version, UInt128 Ip, ushort Port, byte IpType, byte Protocol, byte Placeholder1, byte Placeholder2) : Call;
    public sealed record SetWeights(ushort Netuid, ushort[] Dests, ushort[] Weights, ulong VersionKey) : Call;
    public sealed record CommitWeights(ushort Netuid, byte[] CommitHash) : Call;
    public sealed record RevealWeights(ushort Netuid, ushort[] Uids, ushort[] Values, ushort[] Salt, ulong VersionKey) : Call;
    public sealed record AddStake(AccountId Hotkey, ushort Netuid, ulong Amount) : Call;
    public sealed record RemoveStake(AccountId Hotkey, ushort Netuid, ulong Amount) : Call;
    public sealed record SetSubnetParameter(ushort Netuid, SubnetParameter Parameter, ulong Value) : Call;

    /// <summary>The call's name as <c>Pallet.call</c>, for logs and results.</summary>
    public string Name => this switch
    {
        Transfer => "Balances.transfer_keep_alive",
        RegisterNetwork => "SubtensorModule.register_network",
        BurnedRegister => "SubtensorModule.burned_register",
        ServeAxon => "SubtensorModule.serve_axon",
        SetWeights => "SubtensorModule.set_weights",
        CommitWeights => "SubtensorModule.commit_weights",
        RevealWeights => "SubtensorModule.reveal_weights",
        AddStake => "SubtensorModule.add_stake",
        RemoveStake => "SubtensorModule.remove_stake",
        SetSubnetParameter => "AdminUtils.set_subnet_parameter",
        _ => throw new InvalidOperationException("unknown call"),
    };

    /// <summary>Longest vector a call may carry (uids, weights, salt): a subnet has at most 65 535 uids.</summary>
    private const int MaxVector = 65535;

    public byte[] Encode()
    {
        var w = new ScaleWriter();
        void U16s(ushort[] v) => w.Vec(v, (x, e) => x.U16(e));
        switch (this)
        {
            case Transfer t: w.U8(BalancesPallet).U8(3).U8(0).Fixed(t.Destination.PublicKey).Compact(t.Amount); break;
            case RegisterNetwork r: w.U8(SubtensorPallet).U8(59).Fixed(r.Hotkey.PublicKey); break;
            case BurnedRegister b: w.U8(SubtensorPallet).U8(7).U16(b.Netuid).Fixed(b.Hotkey.PublicKey); break;
            case ServeAxon a: w.U8(SubtensorPallet).U8(4).U16(a.Netuid).U32(a.Version).U128(a.Ip).U16(a.Port).U8(a.IpType).U8(a.Protocol).U8(a.Placeholder1).U8(a.Placeholder2); break;
            case SetWeights s: w.U8(SubtensorPallet).U8(0).U16(s.Netuid); U16s(s.Dests); U16s(s.Weights); w.U64(s.VersionKey); break;
            case CommitWeights c: w.U8(SubtensorPallet).U8(96).U16(c.Netuid).Fixed(c.CommitHash); break;
            case RevealWeights r: w.U8(SubtensorPallet).U8(97).U16(r.Netuid); U16s(r.Uids); U16s(r.Values); U16s(r.Salt); w.U64(r.VersionKey); break;
            case AddStake a: w.U8(SubtensorPallet).U8(2).Fixed(a.Hotkey.PublicKey).U16(a.Netuid).U64(a.Amount); break;
            case RemoveStake r: w.U8(SubtensorPallet).U8(3).Fixed(r.Hotkey.PublicKey).U16(r.Netuid).U64(r.Amount); break;
            case SetSubnetParameter p: w.U8(AdminPallet).U8(0).U16(p.Netuid).U8((byte)p.Parameter).U64(p.Value); break;
            default: throw new InvalidOperationException("unknown call");
        }
        return w.ToArray();
    }

    /// <summary>Reads one call; unknown pallets, calls or parameter names and malformed arguments throw
    /// <see cref="ScaleException"/> with what was wrong.</summary>
    public static Call Decode(ScaleReader r)
    {
        var pallet = r.U8();
        var index = r.U8();
        ushort[] U16s() => r.Vec(x => x.U16(), MaxVector);
        AccountId Account() => StateCodec.Account(r);
        return (pallet, index) switch
        {
            (BalancesPallet, 3) => r.U8() == 0 ? new Transfer(Account(), ToBalance(r.Compact())) : throw new ScaleException("Balances.transfer_keep_alive: only MultiAddress::Id (0) is supported"),
            (SubtensorPallet, 59) => new RegisterNetwork(Account()),
            (SubtensorPallet, 7) => new BurnedRegister(r.U16(), Account()),
            (SubtensorPallet, 4) => new ServeAxon(r.U16(), r.U32(), r.U128(), r.U16(), r.U8(), r.U8(), r.U8(), r.U8()),
            (SubtensorPallet, 0) => new SetWeights(r.U16(), U16s(), U16s(), r.U64()),
            (SubtensorPallet, 96) => new CommitWeights(r.U16(), r.Fixed(32)),
            (SubtensorPallet, 97) => new RevealWeights(r.U16(), U16s(), U16s(), U16s(), r.U64()),
            (SubtensorPallet, 2) => new AddStake(Account(), r.U16(), r.U64()),
            (SubtensorPallet, 3) => new RemoveStake(Account(), r.U16(), r.U64()),
            (AdminPallet, 0) => new SetSubnetParameter(r.U16(), ToParameter(r.U8()), r.U64()),
            _ => throw new ScaleException($"unknown call: pallet {pallet}, call {index}"),
        };
    }

    private static ulong ToBalance(BigInteger value) =>
        value <= ulong.MaxValue ? (ulong)value : throw new ScaleException($"amount {value} exceeds a u64 balance");

    private static SubnetParameter ToParameter(byte value) =>
        Enum.IsDefined((SubnetParameter)value) ? (SubnetParameter)value : throw new ScaleException($"unknown subnet parameter {value}");
}
