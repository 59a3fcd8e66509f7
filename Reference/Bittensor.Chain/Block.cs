using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>A block header as Substrate encodes it: parent hash, compact number, state root, extrinsics root, digest
/// (always empty here). The block's hash is BLAKE2b-256 of this encoding.</summary>
public sealed record Header(byte[] ParentHash, ulong Number, byte[] StateRoot, byte[] ExtrinsicsRoot)
{
    public byte[] Encode() => new ScaleWriter().Fixed(ParentHash).Compact(Number).Fixed(StateRoot).Fixed(ExtrinsicsRoot).Compact(0).ToArray();
    public byte[] Hash() => Hashing.Blake2b256(Encode());

    public static Header Decode(byte[] bytes)
    {
        var r = new ScaleReader(bytes);
        var header = new Header(r.Fixed(32), (ulong)r.Compact(), r.Fixed(32), r.Fixed(32));
        if (r.Compact() != 0) throw new ScaleException("header digest: this chain writes no digest items");
        r.End();
        return header;
    }

    /// <summary>The extrinsics root: BLAKE2b-256 of the SCALE list of the encoded extrinsics (a flat commitment, not
    /// Substrate's ordered trie).</summary>
    public static byte[] ExtrinsicsRootOf(IReadOnlyList<byte[]> extrinsics) =>
        Hashing.Blake2b256(new ScaleWriter().Vec(extrinsics, (w, x) => w.Bytes(x)).ToArray());
}

/// <summary>What happened to one extrinsic in a block: it ran (<see cref="Error"/> null) or its call failed with a
/// named error (its nonce is still used, as in Substrate).</summary>
public sealed record ExtrinsicOutcome(byte[] Hash, string Call, string? Error)
{
    public bool Success => Error is null;
}

/// <summary>A block: header, encoded extrinsics, and what the block did (each extrinsic's outcome, the subnets whose
/// epoch ran).</summary>
public sealed record Block(Header Header, IReadOnlyList<byte[]> Extrinsics, IReadOnlyList<ExtrinsicOutcome> Outcomes, IReadOnlyList<ushort> Epochs)
{
    public byte[] Hash() => Header.Hash();

    public byte[] EncodeBody() => new ScaleWriter().Vec(Extrinsics, (w, x) => w.Bytes(x)).ToArray();

    public byte[] EncodeOutcomes()
    {
        var w = new ScaleWriter();
        w.Vec(Outcomes, (x, o) => { x.Fixed(o.Hash).Str(o.Call).U8(o.Error is null ? (byte)0 : (byte)1); if (o.Error is not null) x.Str(o.Error); });
        w.Vec(Epochs, (x, e) => x.U16(e));
        return w.ToArray();
    }

    public static Block Decode(byte[] header, byte[] body, byte[] outcomes)
    {
        var b = new ScaleReader(body);
        var extrinsics = b.Vec(r => r.Bytes(SignedExtrinsic.MaxLength));
        b.End();
        var o = new ScaleReader(outcomes);
        var results = o.Vec(r => new ExtrinsicOutcome(r.Fixed(32), r.Str(), r.U8() == 0 ? null : r.Str()));
        var epochs = o.Vec(r => r.U16());
        o.End();
        return new Block(Header.Decode(header), extrinsics, results, epochs);
    }
}
