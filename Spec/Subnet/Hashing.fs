/// <summary>The two encodings the subnet rules need for commit-reveal: BLAKE2b-256 (RFC 7693) and the few SCALE
/// encodings of the committed data. Kept minimal; the node's full SCALE codec lives in Reference/.</summary>
[<RequireQualifiedAccess>]
module Bittensor.Spec.Subnet.Hashing

open System
open System.Buffers.Binary

let private iv =
    [| 0x6a09e667f3bcc908UL; 0xbb67ae8584caa73bUL; 0x3c6ef372fe94f82bUL; 0xa54ff53a5f1d36f1UL
       0x510e527fade682d1UL; 0x9b05688c2b3e6c1fUL; 0x1f83d9abfb41bd6bUL; 0x5be0cd19137e2179UL |]

let private sigma =
    [| [| 0; 1; 2; 3; 4; 5; 6; 7; 8; 9; 10; 11; 12; 13; 14; 15 |]; [| 14; 10; 4; 8; 9; 15; 13; 6; 1; 12; 0; 2; 11; 7; 5; 3 |]
       [| 11; 8; 12; 0; 5; 2; 15; 13; 10; 14; 3; 6; 7; 1; 9; 4 |]; [| 7; 9; 3; 1; 13; 12; 11; 14; 2; 6; 5; 10; 4; 0; 15; 8 |]
       [| 9; 0; 5; 7; 2; 4; 10; 15; 14; 1; 11; 12; 6; 8; 3; 13 |]; [| 2; 12; 6; 10; 0; 11; 8; 3; 4; 13; 7; 5; 15; 14; 1; 9 |]
       [| 12; 5; 1; 15; 14; 13; 4; 10; 0; 7; 6; 3; 9; 2; 8; 11 |]; [| 13; 11; 7; 14; 12; 1; 3; 9; 5; 0; 15; 4; 8; 6; 2; 10 |]
       [| 6; 15; 14; 9; 11; 3; 0; 8; 12; 2; 13; 7; 1; 4; 10; 5 |]; [| 10; 2; 8; 4; 7; 6; 1; 5; 15; 11; 9; 14; 3; 12; 13; 0 |] |]

let private rotr (x: uint64) (n: int) = (x >>> n) ||| (x <<< (64 - n))

/// <summary>BLAKE2b with a digest of <paramref name="outLength"/> bytes (1–64), no key.</summary>
/// <example><c>blake2b 32 [||]</c> starts 0e5751c0…; <c>blake2b 64 "abc"B</c> starts ba80a53f….</example>
let blake2b (outLength: int) (data: byte[]) : byte[] =
    let h = Array.copy iv
    h[0] <- h[0] ^^^ 0x01010000UL ^^^ uint64 outLength
    let compress (block: byte[]) (counter: uint64) (last: bool) =
        let m = Array.init 16 (fun i -> BinaryPrimitives.ReadUInt64LittleEndian(ReadOnlySpan(block, i * 8, 8)))
        let v = Array.append (Array.copy h) (Array.copy iv)
        v[12] <- v[12] ^^^ counter
        if last then v[14] <- ~~~v[14]
        let g a b c d x y =
            v[a] <- v[a] + v[b] + x; v[d] <- rotr (v[d] ^^^ v[a]) 32
            v[c] <- v[c] + v[d]; v[b] <- rotr (v[b] ^^^ v[c]) 24
            v[a] <- v[a] + v[b] + y; v[d] <- rotr (v[d] ^^^ v[a]) 16
            v[c] <- v[c] + v[d]; v[b] <- rotr (v[b] ^^^ v[c]) 63
        for round in 0..11 do
            let s = sigma[round % 10]
            g 0 4 8 12 m[s[0]] m[s[1]]; g 1 5 9 13 m[s[2]] m[s[3]]; g 2 6 10 14 m[s[4]] m[s[5]]; g 3 7 11 15 m[s[6]] m[s[7]]
            g 0 5 10 15 m[s[8]] m[s[9]]; g 1 6 11 12 m[s[10]] m[s[11]]; g 2 7 8 13 m[s[12]] m[s[13]]; g 3 4 9 14 m[s[14]] m[s[15]]
        for i in 0..7 do
            h[i] <- h[i] ^^^ v[i] ^^^ v[i + 8]
    let blocks = max 1 ((data.Length + 127) / 128)
    for b in 0 .. blocks - 1 do
        let block = Array.zeroCreate<byte> 128
        let length = min 128 (data.Length - b * 128)
        if length > 0 then Array.blit data (b * 128) block 0 length
        let last = b = blocks - 1
        compress block (uint64 (if last then data.Length else (b + 1) * 128)) last
    let output = Array.zeroCreate<byte> 64
    h |> Array.iteri (fun i word -> BinaryPrimitives.WriteUInt64LittleEndian(Span(output, i * 8, 8), word))
    output[.. outLength - 1]

let private littleEndian16 (x: uint16) = let b = Array.zeroCreate 2 in BinaryPrimitives.WriteUInt16LittleEndian(Span b, x); b
let private littleEndian32 (x: uint32) = let b = Array.zeroCreate 4 in BinaryPrimitives.WriteUInt32LittleEndian(Span b, x); b

/// <summary>u64 little-endian, as SCALE encodes it.</summary>
let u64 (x: uint64) = let b = Array.zeroCreate 8 in BinaryPrimitives.WriteUInt64LittleEndian(Span b, x); b

/// <summary>u16 little-endian, as SCALE encodes it.</summary>
let u16 (x: uint16) = littleEndian16 x

/// <summary>SCALE compact encoding of a length (the prefix of every SCALE vector).</summary>
let compactLength (n: int) : byte[] =
    if n < 0 then invalidArg (nameof n) "a length is never negative"
    elif n < 64 then [| byte (n <<< 2) |]
    elif n < 16384 then littleEndian16 (uint16 ((n <<< 2) ||| 1))
    elif n < (1 <<< 30) then littleEndian32 (uint32 ((n <<< 2) ||| 2))
    else Array.append [| 0b11uy |] (littleEndian32 (uint32 n)) // big-integer mode: (4 − 4) << 2 | 0b11, then 4 bytes

/// <summary>SCALE encoding of a <c>Vec&lt;u16&gt;</c>: compact length, then each value little-endian.</summary>
let u16Vector (values: uint16[]) : byte[] =
    Array.append (compactLength values.Length) (values |> Array.collect littleEndian16)
