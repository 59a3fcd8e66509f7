/// <summary>The keys runner: SS58, secret-URI derivation (sr25519 and ed25519), Substrate's mnemonic seed, SCALE
/// compact integers and signature verification. There is no F# spec for these: outputs come from the identity library
/// (<c>Reference/Bittensor.Identity</c>), whose own tests pin them to published values (the dev accounts, a signature
/// made by another implementation, the BIP-39 list).</summary>
module Bittensor.Conformance.Keys

open System
open System.Text.Json.Nodes
open Bittensor.Identity
open Bittensor.Conformance.Codec

let private hex = hexBytes
let private str = inputString

/// The handlers of the keys runner.
let handlers: Map<string, JsonNode -> JsonNode> =
    Map.ofList [
        "ss58_encode", fun i ->
            let key = readHex "input.public_key" (field "input" "public_key" i)
            if key.Length <> 32 then malformed "input.public_key" "32 bytes"
            obj [ "address", text (Ss58.Encode(key, readU16 "input.prefix" (field "input" "prefix" i))) ]
        "ss58_decode", fun i ->
            try
                let struct (prefix, key) = Ss58.Decode(str "address" i)
                obj [ "valid", flag true; "prefix", num (int prefix); "public_key", hex key ]
            with :? Ss58FormatException -> obj [ "valid", flag false ]
        "derive", fun i ->
            try
                let uri = SecretUri.Parse(str "uri" i)
                let key =
                    match str "scheme" i with
                    | "sr25519" -> uri.ToSr25519().PublicKey
                    | "ed25519" -> uri.ToEd25519().PublicKey
                    | other -> malformed "input.scheme" $"\"sr25519\" or \"ed25519\" (got \"{other}\")"
                obj [ "valid", flag true; "public_key", hex key; "ss58", text (Ss58.Encode key) ]
            with
            | :? MnemonicException
            | :? SecretUriException -> obj [ "valid", flag false ]
        "mnemonic_to_mini_secret", fun i ->
            try obj [ "valid", flag true; "mini_secret", hex (Mnemonic.ToMiniSecret(str "phrase" i, str "password" i)) ]
            with :? MnemonicException -> obj [ "valid", flag false ]
        "scale_compact", fun i -> obj [ "encoded", hex (ScaleWriter().Compact(readBigInteger "input.value" (field "input" "value" i)).ToArray()) ]
        "sr25519_verify", fun i ->
            let valid =
                Sr25519KeyPair.Verify(
                    ReadOnlySpan(readHex "input.signature" (field "input" "signature" i)), ReadOnlySpan(readHex "input.message" (field "input" "message" i)),
                    ReadOnlySpan(readHex "input.public_key" (field "input" "public_key" i)), str "context" i)
            obj [ "valid", flag valid ]
        "ed25519_verify", fun i ->
            let valid =
                Ed25519KeyPair.Verify(
                    ReadOnlySpan(readHex "input.signature" (field "input" "signature" i)), ReadOnlySpan(readHex "input.message" (field "input" "message" i)),
                    ReadOnlySpan(readHex "input.public_key" (field "input" "public_key" i)))
            obj [ "valid", flag valid ]
    ]

/// A case of the keys runner: (handler, suite, name, description, seed, input).
type KeyCase = string * string * string * string * int option * JsonNode

let private aliceSr = Convert.FromHexString "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
let private foreignSignature =
    [| 10uy; 125uy; 162uy; 182uy; 49uy; 112uy; 76uy; 220uy; 254uy; 147uy; 199uy; 64uy; 228uy; 18uy; 23uy; 185uy; 172uy; 102uy; 122uy; 12uy
       135uy; 85uy; 216uy; 218uy; 26uy; 130uy; 50uy; 219uy; 82uy; 127uy; 72uy; 124uy; 135uy; 231uy; 128uy; 210uy; 237uy; 193uy; 137uy; 106uy
       235uy; 107uy; 27uy; 239uy; 11uy; 199uy; 195uy; 141uy; 157uy; 242uy; 19uy; 91uy; 99uy; 62uy; 171uy; 139uy; 251uy; 23uy; 119uy; 232uy
       47uy; 173uy; 58uy; 143uy |]

/// Hand-made cases (named after what they test) and seeded random ones.
let cases () : KeyCase list =
    let hand handler name description input = handler, "hand_made", name, description, None, input
    let derive uri scheme = obj [ "uri", text uri; "scheme", text scheme ]
    [ yield hand "derive" "alice_sr25519" "//Alice: 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" (derive "//Alice" "sr25519")
      yield hand "derive" "alice_ed25519" "//Alice ed25519: 5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu" (derive "//Alice" "ed25519")
      yield hand "derive" "bob_sr25519" "//Bob: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty" (derive "//Bob" "sr25519")
      yield hand "derive" "alice_stash" "//Alice//stash: 5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY" (derive "//Alice//stash" "sr25519")
      yield hand "derive" "dev_phrase_root" "the dev phrase itself: 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV" (derive Mnemonic.DevPhrase "sr25519")
      yield hand "derive" "soft_junction" "a soft junction" (derive "//Alice/stash" "sr25519")
      yield hand "derive" "numeric_and_long_junctions" "a numeric junction (SCALE u64) and a long one (hashed)" (derive "//0//this-junction-name-is-longer-than-thirty-two-bytes" "sr25519")
      yield hand "derive" "password" "a password changes the seed" (derive "//Alice///secret" "sr25519")
      yield hand "derive" "ed25519_soft_refused" "ed25519 has no soft derivation" (derive "//Alice/soft" "ed25519")
      yield hand "derive" "bad_checksum" "a phrase whose checksum fails" (derive (Mnemonic.DevPhrase.Replace("walk", "zoo")) "sr25519")
      yield hand "ss58_decode" "alice" "decodes Alice" (obj [ "address", text "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" ])
      yield hand "ss58_decode" "mistyped" "one character changed: the checksum fails" (obj [ "address", text "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ" ])
      yield hand "ss58_decode" "not_base58" "a zero is not base58" (obj [ "address", text "50rwvaEF" ])
      yield hand "ss58_encode" "two_byte_prefix" "prefix 255 takes two bytes" (obj [ "public_key", hex aliceSr; "prefix", num 255 ])
      yield hand "sr25519_verify" "foreign_signature" "Alice's signature made by another implementation (polkadot-js), as in ink!'s tests"
          (obj [ "public_key", hex aliceSr; "message", hex "<Bytes>0x46fb7408d4f285228f4af516ea25851b</Bytes>"B; "signature", hex foreignSignature; "context", text "substrate" ])
      yield hand "sr25519_verify" "foreign_signature_wrong_context" "the same signature under another context fails"
          (obj [ "public_key", hex aliceSr; "message", hex "<Bytes>0x46fb7408d4f285228f4af516ea25851b</Bytes>"B; "signature", hex foreignSignature; "context", text "bittensor" ])
      yield hand "mnemonic_to_mini_secret" "all_zero_entropy" "abandon × 11 + about" (obj [ "phrase", text "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"; "password", text "" ])
      // published known answers (their sources are in Reference/Bittensor.Identity.Tests/PublishedVectorTests.cs);
      // testSeed is the seed of sp-core's sr25519 test and of RFC 8032's test 1
      let testSeed = "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
      yield hand "derive" "dev_phrase_soft_alice" "the dev phrase with one soft junction: sp-core's d6c71059…" (derive (Mnemonic.DevPhrase + "/Alice") "sr25519")
      yield hand "derive" "hex_seed_sr25519" "a 0x seed instead of a phrase: sp-core's test seed gives 44a996be…" (derive testSeed "sr25519")
      yield hand "derive" "hex_seed_ed25519" "the same seed as ed25519: RFC 8032 test 1's d75a9801…" (derive testSeed "ed25519")
      yield hand "derive" "hex_seed_with_junctions" "a 0x seed, then a hard and a soft junction" (derive (testSeed + "//hard/soft") "sr25519")
      yield hand "derive" "hex_seed_too_short" "a 0x seed must be 64 hex digits" (derive "0x1234" "sr25519")
      for phrase, label in
          [ "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "zero_entropy_12_words"
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent", "zero_entropy_18_words"
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote", "all_ones_24_words"
            "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", "hamster_24_words" ] do
          yield hand "mnemonic_to_mini_secret" $"substrate_bip39_{label}" "substrate-bip39's table (password \"Substrate\")" (obj [ "phrase", text phrase; "password", text "Substrate" ])
      let rfc8032 name (publicKey: string) (message: string) (signature: string) =
          hand "ed25519_verify" name "RFC 8032 section 7.1" (obj [ "public_key", hex (Convert.FromHexString publicKey); "message", hex (Convert.FromHexString message); "signature", hex (Convert.FromHexString signature) ])
      yield rfc8032 "rfc8032_test_1" "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" ""
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
      yield rfc8032 "rfc8032_test_2" "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c" "72"
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
      yield hand "sr25519_verify" "pre_marker_signature" "sp-core's verify_known_old_message_should_work: a schnorrkel 0.1 signature (no marker bit) that verify rejects"
          (obj [ "public_key", hex (Convert.FromHexString "b4bfa1f7a5166695eb75299fd1c4c03ea212871c342f2c5dfea0902b2c246918")
                 "message", hex "Verifying that I am the owner of 5G9hQLdsKQswNPgB499DeA5PkFBbgkLPJWkkS6FAM6xGQ8xD. Hash: 221455a3\n"B
                 "signature", hex (Convert.FromHexString "5a9755f069939f45d96aaf125cf5ce7ba1db998686f87f2fb3cbdea922078741a73891ba265f70c31436e18a9acd14d189d73c12317ab6c313285cd938453202")
                 "context", text "substrate" ])
      for value in [ "0"; "63"; "64"; "16383"; "16384"; "1073741823"; "1073741824"; "18446744073709551615"; "340282366920938463463374607431768211455" ] do
          yield hand "scale_compact" $"value_{value}" "a compact boundary" (obj [ "value", text value ])
      // seeded random: phrases from seeded entropy, derivation paths, compact values, and signatures with seeded randomness
      for index in 0 .. 9 do
          let seed = 9000 + index
          let rng = Random seed
          let entropy = Array.zeroCreate<byte> (if index % 2 = 0 then 16 else 32)
          rng.NextBytes entropy
          let phrase = Mnemonic.FromEntropy entropy
          let path = String.concat "" [ for _ in 1 .. rng.Next(0, 4) -> (if rng.Next 2 = 0 then "//" else "/") + string (rng.Next 1000) ]
          yield "derive", "random", $"seed{seed}", "a seeded phrase and path", Some seed, derive (phrase + path) "sr25519"
          yield "mnemonic_to_mini_secret", "random", $"seed{seed}", "a seeded phrase and password", Some seed,
                obj [ "phrase", text phrase; "password", text (if index % 3 = 0 then "pw" else "") ]
          // hard junctions only: a soft junction draws a fresh random nonce (as schnorrkel does), which would make the
          // signature differ on every regeneration
          let pair = SecretUri.Parse(phrase + "//signer").ToSr25519()
          let message = Array.zeroCreate<byte> (rng.Next(0, 64))
          rng.NextBytes message
          let randomness = Array.zeroCreate<byte> 32
          rng.NextBytes randomness
          let signature = pair.Sign(ReadOnlySpan message, "substrate", ReadOnlySpan randomness)
          if index % 4 = 3 then signature[rng.Next 64] <- signature[rng.Next 64] ^^^ 1uy
          yield "sr25519_verify", "random", $"seed{seed}", "a seeded signature (every fourth one corrupted)", Some seed,
                obj [ "public_key", hex pair.PublicKey; "message", hex message; "signature", hex signature; "context", text "substrate" ]
          let ed = SecretUri.Parse(phrase + "//ed").ToEd25519()
          let edSignature = ed.Sign(ReadOnlySpan message)
          yield "ed25519_verify", "random", $"seed{seed}", "a seeded ed25519 signature", Some seed,
                obj [ "public_key", hex ed.PublicKey; "message", hex message; "signature", hex edSignature ]
          yield "scale_compact", "random", $"seed{seed}", "a seeded value", Some seed, obj [ "value", text (string (rng.NextInt64())) ] ]
