using System.Numerics;
using Bittensor.Identity;

namespace Bittensor.Chain;

/// <summary>Why an extrinsic was refused before it could run, named as Substrate names transaction validity errors.
/// Nothing about the chain changes.</summary>
public sealed class InvalidTransactionException(string code, string message) : Exception($"{code}: {message}")
{
    /// <summary><c>Malformed</c>, <c>BadProof</c>, <c>Stale</c>, <c>Future</c>, <c>AncientBirthBlock</c>,
    /// <c>Outdated</c>, <c>ExhaustsResources</c>, <c>AlreadyImported</c>, <c>TooLowPriority</c>.</summary>
    public string Code { get; } = code;
}

/// <summary>A transaction's lifetime (<c>sp_runtime::generic::Era</c>): immortal, or valid for <see cref="Period"/>
/// blocks from its birth block, the last block at or before the current one that is ≡ <see cref="Phase"/> mod period.</summary>
public readonly record struct TransactionEra(ulong Period, ulong Phase)
{
    public static readonly TransactionEra Immortal = new(0, 0);
    public bool IsImmortal => Period == 0;

    /// <summary>A mortal era of about <paramref name="period"/> blocks (rounded up to a power of two in [4, 65536])
    /// starting at <paramref name="current"/>, as Substrate's <c>Era::mortal</c>.</summary>
    public static TransactionEra Mortal(ulong period, ulong current)
    {
        var p = Math.Clamp(BitOperations.RoundUpToPowerOf2(Math.Max(period, 1)), 4UL, 1UL << 16);
        var quantize = Math.Max(p >> 12, 1);
        return new(p, current % p / quantize * quantize);
    }

    public ulong Birth(ulong current) => IsImmortal ? 0 : (Math.Max(current, Phase) - Phase) / Period * Period + Phase;
    public ulong Death(ulong current) => IsImmortal ? ulong.MaxValue : Birth(current) + Period;

    public void Write(ScaleWriter w)
    {
        if (IsImmortal) { w.U8(0); return; }
        var quantize = Math.Max(Period >> 12, 1);
        var low = (ulong)(uint)Math.Min(15, Math.Max(1, BitOperations.TrailingZeroCount(Period) - 1));
        var encoded = low | (Phase / quantize << 4);
        w.U16((ushort)encoded);
    }

    public static TransactionEra Read(ScaleReader r)
    {
        var first = r.U8();
        if (first == 0) return Immortal;
        var encoded = first + ((ulong)r.U8() << 8);
        var period = 2UL << (int)(encoded % 16);
        var quantize = Math.Max(period >> 12, 1);
        var phase = (encoded >> 4) * quantize;
        if (period < 4 || phase >= period) throw new ScaleException($"era: phase {phase} is not below period {period}");
        return new(period, phase);
    }
}

/// <summary>
/// A signed extrinsic in Substrate's version-4 format: <c>compact length ‖ 0x84 ‖ MultiAddress::Id(signer) ‖
/// MultiSignature::Sr25519(signature) ‖ era ‖ compact nonce ‖ compact tip ‖ call</c>. The signature covers
/// <c>call ‖ era ‖ nonce ‖ tip ‖ spec version ‖ transaction version ‖ genesis hash ‖ birth block hash</c>, hashed with
/// BLAKE2b-256 first when longer than 256 bytes, signed in the "substrate" context. Unsigned extrinsics are refused.
/// </summary>
public sealed record SignedExtrinsic(AccountId Signer, byte[] Signature, TransactionEra Era, uint Nonce, BigInteger Tip, Call Call)
{
    /// <summary>The largest extrinsic accepted, in bytes.</summary>
    public const int MaxLength = 64 * 1024;

    public byte[] Encode()
    {
        var body = new ScaleWriter().U8(0x84).U8(0).Fixed(Signer.PublicKey).U8(1).Fixed(Signature);
        Era.Write(body);
        body.Compact(Nonce).Compact(Tip).Fixed(Call.Encode());
        return new ScaleWriter().Bytes(body.ToArray()).ToArray();
    }

    /// <summary>The extrinsic's hash: BLAKE2b-256 of its encoding, length prefix included.</summary>
    public byte[] Hash() => Hashing.Blake2b256(Encode());

    public static byte[] SigningPayload(Call call, TransactionEra era, uint nonce, BigInteger tip, RuntimeVersion version, byte[] genesisHash, byte[] birthHash)
    {
        var w = new ScaleWriter().Fixed(call.Encode());
        era.Write(w);
        var payload = w.Compact(nonce).Compact(tip).U32(version.SpecVersion).U32(version.TransactionVersion).Fixed(genesisHash).Fixed(birthHash).ToArray();
        return payload.Length > 256 ? Hashing.Blake2b256(payload) : payload;
    }

    public static SignedExtrinsic Sign(Sr25519KeyPair signer, Call call, uint nonce, TransactionEra era, RuntimeVersion version, byte[] genesisHash, byte[] birthHash)
    {
        var signature = signer.Sign(SigningPayload(call, era, nonce, BigInteger.Zero, version, genesisHash, birthHash));
        return new SignedExtrinsic(AccountId.FromPublicKey(signer.PublicKey), signature, era, nonce, BigInteger.Zero, call);
    }

    public bool VerifySignature(RuntimeVersion version, byte[] genesisHash, byte[] birthHash) =>
        Sr25519KeyPair.Verify(Signature, SigningPayload(Call, Era, Nonce, Tip, version, genesisHash, birthHash), Signer.PublicKey);

    /// <summary>Decodes one extrinsic; any defect is an <see cref="InvalidTransactionException"/> with code
    /// <c>Malformed</c> (or <c>ExhaustsResources</c> when too long) saying what was wrong.</summary>
    public static SignedExtrinsic Decode(byte[] bytes)
    {
        if (bytes.Length > MaxLength + 4) throw new InvalidTransactionException("ExhaustsResources", $"{bytes.Length} bytes; an extrinsic is at most {MaxLength}");
        try
        {
            var outer = new ScaleReader(bytes);
            var body = outer.Bytes(MaxLength);
            outer.End();
            var r = new ScaleReader(body);
            var version = r.U8();
            if (version == 0x04) throw new ScaleException("unsigned extrinsics are not accepted; sign it");
            if (version != 0x84) throw new ScaleException($"extrinsic version byte 0x{version:x2}; this chain reads signed version 4 (0x84)");
            var addressType = r.U8();
            if (addressType != 0) throw new ScaleException($"signer address type {addressType}; only MultiAddress::Id (0) is supported");
            var signer = StateCodec.Account(r);
            var signatureType = r.U8();
            if (signatureType != 1) throw new ScaleException($"signature type {signatureType}; only sr25519 (1) is supported");
            var signature = r.Fixed(64);
            var era = TransactionEra.Read(r);
            var nonce = r.Compact();
            if (nonce > uint.MaxValue) throw new ScaleException($"nonce {nonce} exceeds a u32");
            var tip = r.Compact();
            var call = Call.Decode(r);
            r.End();
            return new SignedExtrinsic(signer, signature, era, (uint)nonce, tip, call);
        }
        catch (ScaleException e) { throw new InvalidTransactionException("Malformed", e.Message); }
    }
}

/// <summary>The runtime's version as a signed payload commits to it.</summary>
public readonly record struct RuntimeVersion(uint SpecVersion, uint TransactionVersion)
{
    public static readonly RuntimeVersion Current = new(1, 1);
}
