namespace Bittensor.Chain;

/// <summary>A served axon as the metagraph shows it: the IP as text (IPv4 dotted, IPv6 colon-hex).</summary>
public sealed record AxonView(ulong Block, uint Version, string Ip, ushort Port, byte IpType, byte Protocol);

/// <summary>
/// A subnet's metagraph: every per-uid field bittensor's <c>Metagraph</c> has, indexed by uid. Stake is in rao; the
/// u16 fields are the chain's raw values (divide by 65 535 for the proportion bittensor shows). Weights and bonds are
/// each uid's stored row as [uid, u16] pairs.
/// </summary>
public sealed record Metagraph(
    ushort Netuid, ulong Block, int N, ushort Tempo, ulong Burn, string OwnerColdkey, string OwnerHotkey,
    int[] Uids, string[] Hotkeys, string[] Coldkeys, ulong[] Stake, ushort[] Incentive, ushort[] Dividends, ulong[] Emission,
    ushort[] Consensus, ushort[] ValidatorTrust, bool[] ValidatorPermit, ulong[] LastUpdate, ulong[] BlockAtRegistration,
    bool[] Active, AxonView?[] Axons, int[][][] Weights, int[][][] Bonds)
{
    public static Metagraph Of(ChainState state, Subnet s)
    {
        var neurons = s.Neurons;
        static int[][] Row(Bittensor.Consensus.StoredEntry[] entries) => entries.Select(e => new[] { e.Uid, (int)e.Value }).ToArray();
        static string Ip(AxonInfo a) => a.IpType == 4
            ? new System.Net.IPAddress((long)System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)a.Ip)).ToString()
            : new System.Net.IPAddress(BigEndian(a.Ip)).ToString();
        return new Metagraph(s.Netuid, state.Block, neurons.Count, s.Parameters.Epoch.Tempo, s.Parameters.Burn, s.OwnerColdkey.Ss58, s.OwnerHotkey.Ss58,
            Enumerable.Range(0, neurons.Count).ToArray(),
            neurons.Select(n => n.Hotkey.Ss58).ToArray(), neurons.Select(n => n.Coldkey.Ss58).ToArray(),
            neurons.Select(n => s.HotkeyStake(n.Hotkey)).ToArray(), neurons.Select(n => n.Incentive).ToArray(),
            neurons.Select(n => n.Dividends).ToArray(), neurons.Select(n => n.Emission).ToArray(), neurons.Select(n => n.Consensus).ToArray(),
            neurons.Select(n => n.ValidatorTrust).ToArray(), neurons.Select(n => n.ValidatorPermit).ToArray(),
            neurons.Select(n => n.LastUpdate).ToArray(), neurons.Select(n => n.RegistrationBlock).ToArray(), neurons.Select(n => n.Active).ToArray(),
            neurons.Select(n => n.Axon is { } a ? new AxonView(a.Block, a.Version, Ip(a), a.Port, a.IpType, a.Protocol) : null).ToArray(),
            neurons.Select(n => Row(n.Weights)).ToArray(), neurons.Select(n => Row(n.Bonds)).ToArray());
    }

    private static byte[] BigEndian(UInt128 value)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return bytes;
    }
}
