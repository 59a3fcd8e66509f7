using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Bittensor.Identity;

/// <summary>SCALE input that cannot be decoded: the message gives the byte offset and what was expected.</summary>
public sealed class ScaleException(string message) : FormatException(message);

/// <summary>
/// Writes the SCALE encoding (Parity's Simple Concatenated Aggregate Little-Endian) of the values the chain and its
/// extrinsics use: fixed-width little-endian integers, compact integers, booleans, options, vectors, strings, fixed
/// arrays and enum indices.
/// </summary>
public sealed class ScaleWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public ScaleWriter U8(byte value) { _bytes.Add(value); return this; }
    public ScaleWriter Bool(bool value) => U8(value ? (byte)1 : (byte)0);
    public ScaleWriter U16(ushort value) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, value); _bytes.AddRange(b); return this; }
    public ScaleWriter U32(uint value) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, value); _bytes.AddRange(b); return this; }
    public ScaleWriter U64(ulong value) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, value); _bytes.AddRange(b); return this; }
    public ScaleWriter U128(UInt128 value) { Span<byte> b = stackalloc byte[16]; BinaryPrimitives.WriteUInt128LittleEndian(b, value); _bytes.AddRange(b); return this; }

    /// <summary>Raw bytes with no length prefix (a fixed-size array such as a 32-byte public key).</summary>
    public ScaleWriter Fixed(ReadOnlySpan<byte> bytes) { _bytes.AddRange(bytes); return this; }

    /// <summary>A compact (variable-length) unsigned integer: single-byte (&lt; 2^6), two-byte (&lt; 2^14),
    /// four-byte (&lt; 2^30) or big-integer mode (the byte count − 4 in the upper six bits, then the bytes).</summary>
    public ScaleWriter Compact(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "compact integers are unsigned");
        if (value < 1 << 6) return U8((byte)((int)value << 2));
        if (value < 1 << 14) return U16((ushort)(((int)value << 2) | 0b01));
        if (value < 1 << 30) return U32(((uint)value << 2) | 0b10);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        if (bytes.Length > 67) throw new ArgumentOutOfRangeException(nameof(value), "compact integers have at most 536 bits");
        U8((byte)(((bytes.Length - 4) << 2) | 0b11));
        return Fixed(bytes);
    }

    /// <summary>A vector: its compact length, then the bytes.</summary>
    public ScaleWriter Bytes(ReadOnlySpan<byte> bytes) { Compact(bytes.Length); return Fixed(bytes); }

    /// <summary>A string: its UTF-8 bytes as a vector.</summary>
    public ScaleWriter Str(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    /// <summary>A vector of items, each written by <paramref name="write"/>.</summary>
    public ScaleWriter Vec<T>(IReadOnlyCollection<T> items, Action<ScaleWriter, T> write)
    {
        Compact(items.Count);
        foreach (var item in items) write(this, item);
        return this;
    }

    /// <summary>An option: 0 for none, 1 then the value for some.</summary>
    public ScaleWriter Option<T>(T? value, Action<ScaleWriter, T> write) where T : struct
    {
        if (value is null) return U8(0);
        U8(1);
        write(this, value.Value);
        return this;
    }

    /// <summary>An enum variant: its index, then its fields (written by the caller).</summary>
    public ScaleWriter Variant(byte index) => U8(index);
}

/// <summary>Reads SCALE, refusing truncated or malformed input with the offset and the reason.</summary>
public sealed class ScaleReader(byte[] data)
{
    private int _offset;

    public int Offset => _offset;
    public bool AtEnd => _offset == data.Length;

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || data.Length - _offset < count)
            throw new ScaleException($"at byte {_offset}: {what} needs {count} byte(s), {data.Length - _offset} left");
        var span = data.AsSpan(_offset, count);
        _offset += count;
        return span;
    }

    public byte U8() => Take(1, "a u8")[0];
    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        var b => throw new ScaleException($"at byte {_offset - 1}: a bool is 0 or 1, got {b}"),
    };
    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "a u16"));
    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a u32"));
    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "a u64"));
    public UInt128 U128() => BinaryPrimitives.ReadUInt128LittleEndian(Take(16, "a u128"));
    public byte[] Fixed(int count) => Take(count, $"a {count}-byte array").ToArray();

    /// <summary>A compact integer; a non-canonical encoding (a value that fits a shorter mode) is refused, as the chain
    /// refuses it.</summary>
    public BigInteger Compact()
    {
        var start = _offset;
        var first = U8();
        BigInteger value;
        switch (first & 0b11)
        {
            case 0b00: return first >> 2;
            case 0b01:
                _offset = start;
                value = U16() >> 2;
                if (value < 1 << 6) throw new ScaleException($"at byte {start}: non-canonical compact (two bytes for {value})");
                return value;
            case 0b10:
                _offset = start;
                value = U32() >> 2;
                if (value < 1 << 14) throw new ScaleException($"at byte {start}: non-canonical compact (four bytes for {value})");
                return value;
            default:
                var count = (first >> 2) + 4;
                value = new BigInteger(Take(count, "a big compact integer"), isUnsigned: true, isBigEndian: false);
                if (value < 1 << 30 || (count > 4 && value.GetByteCount(isUnsigned: true) < count))
                    throw new ScaleException($"at byte {start}: non-canonical compact (big-integer mode for {value})");
                return value;
        }
    }

    /// <summary>A compact length, checked against the bytes left and a caller's bound.</summary>
    public int Length(int maximum = int.MaxValue)
    {
        var start = _offset;
        var length = Compact();
        if (length > maximum) throw new ScaleException($"at byte {start}: length {length} exceeds the allowed {maximum}");
        if (length > data.Length - _offset) throw new ScaleException($"at byte {start}: length {length} exceeds the {data.Length - _offset} bytes left");
        return (int)length;
    }

    public byte[] Bytes(int maximum = int.MaxValue) => Take(Length(maximum), "a byte vector").ToArray();

    public string Str(int maximum = int.MaxValue)
    {
        var start = _offset;
        var bytes = Bytes(maximum);
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw new ScaleException($"at byte {start}: a string that is not valid UTF-8"); }
    }

    public T[] Vec<T>(Func<ScaleReader, T> read, int maximum = 1 << 20)
    {
        var start = _offset;
        var length = Compact();
        if (length > maximum) throw new ScaleException($"at byte {start}: {length} items exceed the allowed {maximum}");
        var items = new T[(int)length];
        for (var i = 0; i < items.Length; i++) items[i] = read(this);
        return items;
    }

    public T? Option<T>(Func<ScaleReader, T> read) where T : struct => U8() switch
    {
        0 => null,
        1 => read(this),
        var b => throw new ScaleException($"at byte {_offset - 1}: an option tag is 0 or 1, got {b}"),
    };

    /// <summary>Refuses trailing bytes after a complete value.</summary>
    public void End()
    {
        if (!AtEnd) throw new ScaleException($"at byte {_offset}: {data.Length - _offset} unexpected trailing byte(s)");
    }
}
