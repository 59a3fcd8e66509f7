/// <summary>The axon/dendrite wire rules that two implementations must agree on byte for byte: the body hash, the
/// message a dendrite signs, the axon's response signature message, the SDK's version number and the default nonce
/// rule. Everything else in a request (JSON layout, headers) is parsed leniently, so only these are specified.</summary>
/// <remarks>Follows bittensor SDK v10.2.0 (<c>bittensor/core/synapse.py</c>, <c>axon.py</c>, <c>dendrite.py</c>).
/// Times are integers of nanoseconds; the SDK's float timeout reaches this module already converted.</remarks>
module Bittensor.Spec.Wire.Synapse

open System
open System.Globalization
open System.Numerics
open System.Security.Cryptography
open System.Text

/// <summary>A value of a synapse field as Python holds it after <c>model_dump()</c>. Floats are left out on
/// purpose: Python's float formatting is not part of the specified wire (no synapse we define hashes one).</summary>
type PyValue =
    | PyStr of string
    | PyInt of BigInteger
    | PyBool of bool
    | PyNone
    | PyList of PyValue list
    /// Entries in insertion order, as a Python 3.7+ dict keeps them.
    | PyDict of (PyValue * PyValue) list

/// <summary>Python's <c>str.isprintable</c> for one code point: false for controls, format characters, surrogates,
/// private use, unassigned, and every separator but the ASCII space.</summary>
let private isPrintable (rune: Rune) =
    if rune.Value = 0x20 then true
    else
        match Rune.GetUnicodeCategory rune with
        | UnicodeCategory.Control | UnicodeCategory.Format | UnicodeCategory.Surrogate | UnicodeCategory.PrivateUse
        | UnicodeCategory.OtherNotAssigned | UnicodeCategory.LineSeparator | UnicodeCategory.ParagraphSeparator
        | UnicodeCategory.SpaceSeparator -> false
        | _ -> true

/// <summary>Python's <c>repr(s)</c>: single quotes unless the text holds a single quote and no double quote; the
/// quote and backslash escaped; \t \n \r; other non-printable code points as \xNN, \uNNNN or \UNNNNNNNN.</summary>
let reprString (s: string) =
    let quote = if s.Contains '\'' && not (s.Contains '"') then '"' else '\''
    let out = StringBuilder()
    out.Append quote |> ignore
    for rune in s.EnumerateRunes() do
        let v = rune.Value
        if v = int quote || v = int '\\' then out.Append('\\').Append(char v) |> ignore
        elif v = int '\t' then out.Append "\\t" |> ignore
        elif v = int '\n' then out.Append "\\n" |> ignore
        elif v = int '\r' then out.Append "\\r" |> ignore
        elif isPrintable rune then out.Append(rune.ToString()) |> ignore
        elif v < 0x100 then out.Append("\\x").Append(v.ToString("x2", CultureInfo.InvariantCulture)) |> ignore
        elif v < 0x10000 then out.Append("\\u").Append(v.ToString("x4", CultureInfo.InvariantCulture)) |> ignore
        else out.Append("\\U").Append(v.ToString("x8", CultureInfo.InvariantCulture)) |> ignore
    out.Append(quote).ToString()

/// <summary>Python's <c>repr</c> of a value (what a list or dict shows for its items).</summary>
let rec repr (value: PyValue) =
    match value with
    | PyStr s -> reprString s
    | PyInt i -> i.ToString(CultureInfo.InvariantCulture)
    | PyBool true -> "True"
    | PyBool false -> "False"
    | PyNone -> "None"
    | PyList items -> "[" + String.Join(", ", items |> List.map repr) + "]"
    | PyDict entries -> "{" + String.Join(", ", entries |> List.map (fun (k, v) -> repr k + ": " + repr v)) + "}"

/// <summary>Python's <c>str</c>: a string is itself, everything else is its repr.</summary>
let pyStr (value: PyValue) =
    match value with
    | PyStr s -> s
    | other -> repr other

/// <summary>Lower-case hex SHA3-256 (FIPS 202) of UTF-8 text.</summary>
let sha3Hex (text: string) = Convert.ToHexStringLower(SHA3_256.HashData(Encoding.UTF8.GetBytes text))

/// <summary>The body hash: SHA3-256 of the concatenated SHA3-256 hex digests of <c>str(value)</c> for each field in
/// <c>required_hash_fields</c>, in that order. With no such fields it is the hash of the empty string.</summary>
let bodyHash (requiredFieldValues: PyValue list) =
    requiredFieldValues |> List.map (pyStr >> sha3Hex) |> String.concat "" |> sha3Hex

/// <summary>What the dendrite signs with its hotkey (sr25519, context "substrate"), as UTF-8 bytes:
/// <c>"{nonce}.{dendrite hotkey}.{axon hotkey}.{dendrite uuid}.{body hash}"</c>. The axon rebuilds it with its own
/// hotkey in the third place, so a request signed for another axon fails verification.</summary>
let requestMessage (nonce: int64) (dendriteHotkey: string) (axonHotkey: string) (uuid: string) (bodyHash: string) =
    String.Join(".", [ nonce.ToString(CultureInfo.InvariantCulture); dendriteHotkey; axonHotkey; uuid; bodyHash ])

/// <summary>What the axon signs on its response: <c>"{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}"</c>.</summary>
let responseMessage (axonNonce: int64) (dendriteHotkey: string) (axonHotkey: string) (axonUuid: string) =
    String.Join(".", [ axonNonce.ToString(CultureInfo.InvariantCulture); dendriteHotkey; axonHotkey; axonUuid ])

/// <summary>The SDK's <c>version_as_int</c>: major·10⁶ + minor·10³ + patch for a "major.minor.patch" version.
/// None when the text is not three decimal parts, minor and patch below 1000, or the value would not fit a signed
/// 64-bit integer (major above <see cref="maxMajorVersion"/>).</summary>
let maxMajorVersion = (Int64.MaxValue - 999_999L) / 1_000_000L

let versionAsInt (version: string) : int64 option =
    match version.Split '.' with
    | [| major; minor; patch |] ->
        let part (s: string) = match Int64.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture) with | true, v -> Some v | _ -> None
        match part major, part minor, part patch with
        | Some a, Some b, Some c when b < 1000L && c < 1000L && a <= maxMajorVersion -> Some(a * 1_000_000L + b * 1_000L + c)
        | _ -> None
    | _ -> None

/// <summary>SDK 7.2.0 (<c>V_7_2_0</c>): dendrites from this version on send wall-clock nonces, so the time window
/// applies to them; older ones sent monotonic-clock nonces and get only the strictly-increasing rule.</summary>
let wallClockNonceVersion = 7_002_000L

/// <summary>The axon's tolerance for a first request's age beyond the synapse's own timeout: 4 s.</summary>
let allowedDeltaNs = 4_000_000_000L

/// <summary>Why the default verifier refuses a nonce.</summary>
type NonceRefusal =
    /// The request has no nonce.
    | NonceMissing
    /// First request of this (hotkey, uuid): nonce ≤ now − 4 s − timeout.
    | NonceTooOld
    /// A later request: nonce ≤ the last nonce accepted for this (hotkey, uuid).
    | NonceNotIncreasing

/// <summary>The default verifier's nonce rule. <paramref name="lastAccepted"/> is the last nonce accepted for the
/// endpoint key "{dendrite hotkey}:{dendrite uuid}". A future-dated nonce is accepted (the SDK sets no upper bound).
/// On acceptance the caller stores the nonce for the endpoint key.</summary>
let checkNonce (nowNs: int64) (timeoutNs: int64) (dendriteVersion: int64) (lastAccepted: int64 option) (nonce: int64 option) : Result<unit, NonceRefusal> =
    match nonce, lastAccepted with
    | None, _ -> Error NonceMissing
    | Some n, Some last when n <= last -> Error NonceNotIncreasing
    | Some n, None when dendriteVersion >= wallClockNonceVersion && n <= nowNs - allowedDeltaNs - timeoutNs -> Error NonceTooOld
    | Some _, _ -> Ok()
