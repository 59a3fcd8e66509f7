using System.Buffers.Binary;
using System.Text;

namespace Bittensor.Identity;

/// <summary>The Keccak-f[1600] permutation on a 200-byte state (lanes little-endian), as STROBE uses it.</summary>
internal static class Keccak
{
    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B, 0x0000000080000001,
        0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
        0x000000000000800A, 0x800000008000000A, 0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    private static readonly int[] Rotations = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];
    private static readonly int[] PiLane = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];

    public static void F1600(byte[] state)
    {
        Span<ulong> a = stackalloc ulong[25];
        for (var i = 0; i < 25; i++) a[i] = BinaryPrimitives.ReadUInt64LittleEndian(state.AsSpan(i * 8));
        Span<ulong> c = stackalloc ulong[5];
        for (var round = 0; round < 24; round++)
        {
            for (var x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            for (var x = 0; x < 5; x++)
            {
                var d = c[(x + 4) % 5] ^ ulong.RotateLeft(c[(x + 1) % 5], 1);
                for (var y = 0; y < 25; y += 5) a[y + x] ^= d;
            }
            var current = a[1];
            for (var i = 0; i < 24; i++)
            {
                var j = PiLane[i];
                (a[j], current) = (ulong.RotateLeft(current, Rotations[i]), a[j]);
            }
            for (var y = 0; y < 25; y += 5)
            {
                for (var x = 0; x < 5; x++) c[x] = a[y + x];
                for (var x = 0; x < 5; x++) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
            }
            a[0] ^= RoundConstants[round];
        }
        for (var i = 0; i < 25; i++) BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(i * 8), a[i]);
    }
}

/// <summary>STROBE-128 (v1.0.2), the subset Merlin uses: meta-AD, AD, PRF and KEY operations.</summary>
internal sealed class Strobe128
{
    private const int Rate = 166;
    private const byte FlagI = 1, FlagA = 1 << 1, FlagC = 1 << 2, FlagT = 1 << 3, FlagM = 1 << 4, FlagK = 1 << 5;
    private readonly byte[] _state = new byte[200];
    private int _pos, _posBegin;
    private byte _curFlags;

    public Strobe128(ReadOnlySpan<byte> protocolLabel)
    {
        _state[0] = 1; _state[1] = Rate + 2; _state[2] = 1; _state[3] = 0; _state[4] = 1; _state[5] = 96;
        "STROBEv1.0.2"u8.CopyTo(_state.AsSpan(6));
        Keccak.F1600(_state);
        MetaAd(protocolLabel, false);
    }

    private Strobe128(Strobe128 other)
    {
        other._state.CopyTo(_state, 0);
        _pos = other._pos; _posBegin = other._posBegin; _curFlags = other._curFlags;
    }

    public Strobe128 Clone() => new(this);

    private void RunF()
    {
        _state[_pos] ^= (byte)_posBegin;
        _state[_pos + 1] ^= 0x04;
        _state[Rate + 1] ^= 0x80;
        Keccak.F1600(_state);
        _pos = 0;
        _posBegin = 0;
    }

    private void Absorb(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            _state[_pos] ^= b;
            if (++_pos == Rate) RunF();
        }
    }

    private void Overwrite(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            _state[_pos] = b;
            if (++_pos == Rate) RunF();
        }
    }

    private void Squeeze(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = _state[_pos];
            _state[_pos] = 0;
            if (++_pos == Rate) RunF();
        }
    }

    private void BeginOp(byte flags, bool more)
    {
        if (more)
        {
            if (_curFlags != flags) throw new InvalidOperationException("STROBE: continuing an operation with different flags");
            return;
        }
        if ((flags & FlagT) != 0) throw new InvalidOperationException("STROBE: transport operations are not supported");
        var oldBegin = (byte)_posBegin;
        _posBegin = _pos + 1;
        _curFlags = flags;
        Absorb([oldBegin, flags]);
        var forceF = (flags & (FlagC | FlagK)) != 0;
        if (forceF && _pos != 0) RunF();
    }

    public void MetaAd(ReadOnlySpan<byte> data, bool more) { BeginOp(FlagM | FlagA, more); Absorb(data); }
    public void Ad(ReadOnlySpan<byte> data, bool more) { BeginOp(FlagA, more); Absorb(data); }
    public void Prf(Span<byte> data, bool more) { BeginOp(FlagI | FlagA | FlagC, more); Squeeze(data); }
    public void Key(ReadOnlySpan<byte> data, bool more) { BeginOp(FlagA | FlagC, more); Overwrite(data); }
}

/// <summary>A Merlin transcript (merlin 2.0): labelled messages in, labelled challenges out, over STROBE-128.</summary>
public sealed class Transcript
{
    private readonly Strobe128 _strobe;

    public Transcript(string label) : this(Encoding.ASCII.GetBytes(label)) { }

    public Transcript(ReadOnlySpan<byte> label)
    {
        _strobe = new Strobe128("Merlin v1.0"u8);
        AppendMessage("dom-sep"u8, label);
    }

    private Transcript(Strobe128 strobe) => _strobe = strobe;

    public Transcript Clone() => new(_strobe.Clone());

    private static byte[] Length(int n) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)n); return b; }

    public void AppendMessage(ReadOnlySpan<byte> label, ReadOnlySpan<byte> message)
    {
        _strobe.MetaAd(label, false);
        _strobe.MetaAd(Length(message.Length), true);
        _strobe.Ad(message, false);
    }

    public void AppendU64(ReadOnlySpan<byte> label, ulong value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        AppendMessage(label, b);
    }

    public void ChallengeBytes(ReadOnlySpan<byte> label, Span<byte> destination)
    {
        _strobe.MetaAd(label, false);
        _strobe.MetaAd(Length(destination.Length), true);
        _strobe.Prf(destination, false);
    }

    /// <summary>Keys a clone of the strobe state with witness bytes and random bytes (merlin's TranscriptRng), then
    /// squeezes <paramref name="destination"/>: the signing nonce.</summary>
    internal void WitnessBytes(ReadOnlySpan<byte> label, ReadOnlySpan<byte> witness, Span<byte> destination, ReadOnlySpan<byte> random)
    {
        var strobe = _strobe.Clone();
        strobe.MetaAd(label, false);
        strobe.MetaAd(Length(witness.Length), true);
        strobe.Key(witness, false);
        strobe.MetaAd("rng"u8, false);
        strobe.Key(random, false);
        strobe.MetaAd(Length(destination.Length), false);
        strobe.Prf(destination, false);
    }
}
