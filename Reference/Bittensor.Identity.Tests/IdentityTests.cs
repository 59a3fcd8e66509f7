using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Bittensor.Identity.Tests;

public class Ss58Tests
{
    private static readonly byte[] AliceSr25519 = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    private static readonly byte[] AliceEd25519 = Convert.FromHexString("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee");

    [Fact]
    public void The_dev_accounts_encode_to_their_well_known_addresses()
    {
        Assert.Equal("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", Ss58.Encode(AliceSr25519));
        Assert.Equal("5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu", Ss58.Encode(AliceEd25519));
    }

    [Theory]
    [InlineData((ushort)0)]
    [InlineData((ushort)42)]
    [InlineData((ushort)63)]
    [InlineData((ushort)64)]
    [InlineData((ushort)255)]
    [InlineData((ushort)16383)]
    public void Addresses_round_trip_for_one_and_two_byte_prefixes(ushort prefix)
    {
        var (decodedPrefix, key) = Ss58.Decode(Ss58.Encode(AliceSr25519, prefix));
        Assert.Equal(prefix, decodedPrefix);
        Assert.Equal(AliceSr25519, key);
    }

    private static string Base58(byte[] data)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var value = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var text = "";
        while (value > 0) { text = alphabet[(int)(value % 58)] + text; value /= 58; }
        return text;
    }

    [Fact]
    public void A_mistyped_address_fails_its_checksum()
    {
        var error = Assert.Throws<Ss58FormatException>(() => Ss58.Decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQZ"));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void Bad_characters_and_lengths_are_named()
    {
        Assert.Contains("'0' at position 1", Assert.Throws<Ss58FormatException>(() => Ss58.Decode("50rwvaEF")).Message);
        Assert.Contains("reserved", Assert.Throws<Ss58FormatException>(() => Ss58.Decode("5Grwva")).Message);
        // prefix 42 and a 20-byte key (an Ethereum-sized account) is not an account key here
        Assert.Contains("holds 20 key bytes", Assert.Throws<Ss58FormatException>(() => Ss58.Decode(Base58([42, .. new byte[19], 1, 0, 0]))).Message);
        Assert.Throws<ArgumentException>(() => Ss58.Encode(new byte[31]));
    }
}

public class HashingTests
{
    [Fact]
    public void Twox128_of_System_is_the_storage_prefix_every_tool_uses() =>
        Assert.Equal("26aa394eea5630e07c48ae0c9558cef7", Convert.ToHexStringLower(Hashing.Twox("System"u8, 128)));

    [Fact]
    public void Blake2b_known_answers()
    {
        Assert.Equal("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", Convert.ToHexStringLower(Hashing.Blake2b256([])));
        Assert.StartsWith("ba80a53f981c4d0d", Convert.ToHexStringLower(Hashing.Blake2b("abc"u8, 64)));
        Assert.Equal(16 + 3, Hashing.Blake2b128Concat("abc"u8).Length);
        Assert.Equal(8 + 3, Hashing.Twox64Concat("abc"u8).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Hashing.Twox("x"u8, 100));
    }
}

public class ScaleTests
{
    [Theory]
    [InlineData("0", "00")]
    [InlineData("1", "04")]
    [InlineData("63", "fc")]
    [InlineData("64", "0101")]
    [InlineData("16383", "fdff")]
    [InlineData("16384", "02000100")]
    [InlineData("1073741823", "feffffff")]
    [InlineData("1073741824", "0300000040")]
    [InlineData("18446744073709551615", "13ffffffffffffffff")]
    public void Compact_integers_encode_and_decode(string value, string hex)
    {
        var number = BigInteger.Parse(value);
        Assert.Equal(hex, Convert.ToHexStringLower(new ScaleWriter().Compact(number).ToArray()));
        var reader = new ScaleReader(Convert.FromHexString(hex));
        Assert.Equal(number, reader.Compact());
        reader.End();
    }

    [Fact]
    public void Vectors_options_strings_and_integers()
    {
        var bytes = new ScaleWriter().Vec<ushort>([1, 2], (w, v) => w.U16(v)).Option<uint>(7, (w, v) => w.U32(v)).Option<uint>(null, (w, v) => w.U32(v))
            .Str("Alice").U64(42).Bool(true).ToArray();
        Assert.Equal("080100020001070000000014416c6963652a0000000000000001", Convert.ToHexStringLower(bytes));
        var reader = new ScaleReader(bytes);
        Assert.Equal(new ushort[] { 1, 2 }, reader.Vec(r => r.U16()));
        Assert.Equal(7u, reader.Option(r => r.U32()));
        Assert.Null(reader.Option(r => r.U32()));
        Assert.Equal("Alice", reader.Str());
        Assert.Equal(42UL, reader.U64());
        Assert.True(reader.Bool());
        reader.End();
    }

    [Fact]
    public void Malformed_input_is_refused_with_the_offset()
    {
        Assert.Contains("at byte 0: a u64 needs 8", Assert.Throws<ScaleException>(() => new ScaleReader([1, 2]).U64()).Message);
        Assert.Contains("non-canonical", Assert.Throws<ScaleException>(() => new ScaleReader([0x01, 0x00]).Compact()).Message);
        Assert.Contains("exceeds the 1 bytes left", Assert.Throws<ScaleException>(() => new ScaleReader([0x08, 0x01]).Bytes()).Message);
        Assert.Contains("a bool is 0 or 1, got 2", Assert.Throws<ScaleException>(() => new ScaleReader([2]).Bool()).Message);
        Assert.Contains("an option tag", Assert.Throws<ScaleException>(() => new ScaleReader([5]).Option(r => r.U8())).Message);
        Assert.Contains("trailing", Assert.Throws<ScaleException>(() => { var r = new ScaleReader([0, 0]); r.U8(); r.End(); }).Message);
        Assert.Contains("exceeds the allowed 1", Assert.Throws<ScaleException>(() => new ScaleReader([0x08, 1, 2]).Bytes(maximum: 1)).Message);
        Assert.Contains("not valid UTF-8", Assert.Throws<ScaleException>(() => new ScaleReader([0x04, 0xff]).Str()).Message);
    }
}

public class MnemonicTests
{
    private const string AllZero = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    [Fact]
    public void The_word_list_is_the_canonical_BIP39_English_list()
    {
        var text = string.Join('\n', Mnemonic.EnglishWords) + "\n";
        Assert.Equal("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        Assert.Equal(2048, Mnemonic.EnglishWords.Count);
    }

    [Fact]
    public void Entropy_and_phrases_convert_both_ways()
    {
        Assert.Equal(new byte[16], Mnemonic.ToEntropy(AllZero));
        Assert.Equal(AllZero, Mnemonic.FromEntropy(new byte[16]));
        Assert.Equal("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", Mnemonic.FromEntropy(Enumerable.Repeat((byte)0xff, 16).ToArray()));
        var phrase = Mnemonic.Generate(24);
        Assert.Equal(24, phrase.Split(' ').Length);
        Assert.Equal(phrase, Mnemonic.FromEntropy(Mnemonic.ToEntropy(phrase)));
    }

    [Fact]
    public void Bad_phrases_say_what_is_wrong()
    {
        Assert.Contains("checksum", Assert.Throws<MnemonicException>(() => Mnemonic.ToEntropy(AllZero.Replace("about", "abandon"))).Message);
        Assert.Contains("word 3, 'bitcoin'", Assert.Throws<MnemonicException>(() => Mnemonic.ToEntropy("abandon abandon bitcoin abandon abandon abandon abandon abandon abandon abandon abandon about")).Message);
        Assert.Contains("this one has 3", Assert.Throws<MnemonicException>(() => Mnemonic.ToEntropy("abandon abandon about")).Message);
    }
}

public class KeyTests
{
    [Fact]
    public void Alice_ed25519_from_the_dev_phrase_matches_the_published_key()
    {
        var alice = SecretUri.Parse("//Alice").ToEd25519();
        Assert.Equal("88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu", Ss58.Encode(alice.PublicKey));
    }

    [Fact]
    public void Signatures_verify_and_tampering_fails()
    {
        var key = SecretUri.Parse(Mnemonic.DevPhrase + "//Bob").ToEd25519();
        var message = "weights for epoch 7"u8.ToArray();
        var signature = key.Sign(message);
        Assert.True(Ed25519KeyPair.Verify(signature, message, key.PublicKey));
        message[0] ^= 1;
        Assert.False(Ed25519KeyPair.Verify(signature, message, key.PublicKey));
        Assert.False(Ed25519KeyPair.Verify(signature[..63], message, key.PublicKey));
    }

    [Fact]
    public void Secret_uris_parse_phrase_junctions_and_password()
    {
        var uri = SecretUri.Parse(Mnemonic.DevPhrase + "//hard/soft///secret");
        Assert.Equal(Mnemonic.DevPhrase, uri.Phrase);
        Assert.Equal(new[] { true, false }, uri.Junctions.Select(j => j.Hard));
        Assert.Equal("secret", uri.Password);
        Assert.Equal("0700000000000000" + new string('0', 48), Convert.ToHexStringLower(Junction.Parse("7", hard: true).ChainCode));
        Assert.Equal("14416c696365" + new string('0', 52), Convert.ToHexStringLower(Junction.Parse("Alice", hard: true).ChainCode));
        Assert.Equal(Hashing.Blake2b256(new ScaleWriter().Str(new string('x', 40)).ToArray()), Junction.Parse(new string('x', 40), hard: true).ChainCode);
        Assert.Throws<SecretUriException>(() => SecretUri.Parse("//Alice/soft").ToEd25519());
        Assert.Throws<SecretUriException>(() => SecretUri.Parse("//Alice//"));
        Assert.NotEqual(SecretUri.Parse("//Alice").ToEd25519().PublicKey, SecretUri.Parse("//Alice///pw").ToEd25519().PublicKey);
    }
}

public class Sr25519Tests
{
    [Fact]
    public void Keccak_f1600_of_the_zero_state_matches_the_reference_value()
    {
        var state = new byte[200];
        typeof(Transcript).Assembly.GetType("Bittensor.Identity.Keccak")!.GetMethod("F1600")!.Invoke(null, [state]);
        Assert.Equal("e7dde140798f25f1", Convert.ToHexStringLower(state[..8]));
    }

    [Fact]
    public void Alice_sr25519_from_the_dev_phrase_matches_the_published_key()
    {
        var alice = SecretUri.Parse("//Alice").ToSr25519();
        Assert.Equal("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", Ss58.Encode(alice.PublicKey));
    }
}

public class Sr25519SignatureTests
{
    private static readonly byte[] AlicePublic = Convert.FromHexString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d");
    // "<Bytes>0x46fb7408d4f285228f4af516ea25851b</Bytes>" signed by Alice in another implementation (polkadot-js),
    // as used by ink!'s sr25519_verify tests.
    private static readonly byte[] Message = "<Bytes>0x46fb7408d4f285228f4af516ea25851b</Bytes>"u8.ToArray();
    private static readonly byte[] ForeignSignature =
    [
        10, 125, 162, 182, 49, 112, 76, 220, 254, 147, 199, 64, 228, 18, 23, 185, 172, 102, 122, 12, 135, 85, 216, 218, 26, 130,
        50, 219, 82, 127, 72, 124, 135, 231, 128, 210, 237, 193, 137, 106, 235, 107, 27, 239, 11, 199, 195, 141, 157, 242, 19, 91,
        99, 62, 171, 139, 251, 23, 119, 232, 47, 173, 58, 143,
    ];

    [Fact]
    public void A_signature_made_by_another_implementation_verifies()
    {
        Assert.True(Sr25519KeyPair.Verify(ForeignSignature, Message, AlicePublic));
        var otherKey = (byte[])AlicePublic.Clone(); otherKey[0]++;
        Assert.False(Sr25519KeyPair.Verify(ForeignSignature, Message, otherKey));
        var otherMessage = (byte[])Message.Clone(); otherMessage[0]++;
        Assert.False(Sr25519KeyPair.Verify(ForeignSignature, otherMessage, AlicePublic));
        var otherSignature = (byte[])ForeignSignature.Clone(); otherSignature[0]++;
        Assert.False(Sr25519KeyPair.Verify(otherSignature, Message, AlicePublic));
        var unmarked = (byte[])ForeignSignature.Clone(); unmarked[63] &= 127;
        Assert.False(Sr25519KeyPair.Verify(unmarked, Message, AlicePublic));
    }

    [Fact]
    public void Our_signatures_verify_under_their_context_only()
    {
        var alice = SecretUri.Parse("//Alice").ToSr25519();
        var signature = alice.Sign(Message);
        Assert.True(Sr25519KeyPair.Verify(signature, Message, alice.PublicKey));
        Assert.False(Sr25519KeyPair.Verify(signature, Message, alice.PublicKey, context: "bittensor"));
        Assert.NotEqual(signature, alice.Sign(Message)); // a fresh nonce each time
    }

    [Fact]
    public void Expansion_from_a_raw_seed_matches_sp_core()
    {
        var pair = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString("5cb9063bc28a07f7444dbb29b6fc15b802b141a4e7dd5c932f2981be69e127e7"));
        Assert.Equal("9c4189297ad2140c85861f64656d1d1318994599130d98b75ff094176d2ca31e", Convert.ToHexStringLower(pair.PublicKey));
    }
}

public sealed class WalletTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wallets-").FullName;
    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void A_wallet_holds_an_encrypted_coldkey_and_plain_hotkeys_in_bittensor_layout()
    {
        var wallet = new Wallet(_root, "default");
        var cold = wallet.WriteColdkey(Mnemonic.DevPhrase, password: "correct horse");
        var hot = wallet.WriteHotkey("default", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
        Assert.True(File.ReadAllBytes(wallet.ColdkeyPath).AsSpan().StartsWith("$NACL"u8));
        Assert.DoesNotContain("bottom", File.ReadAllText(wallet.ColdkeyPath));
        Assert.DoesNotContain("privateKey", File.ReadAllText(wallet.ColdkeyPublicPath));
        Assert.Equal(cold, wallet.ColdkeyPublic());
        Assert.Equal(hot, wallet.HotkeyPublic("default"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(wallet.ColdkeyPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(wallet.HotkeyPath("default")));
        }
        Assert.Equal(cold, wallet.LoadColdkey("correct horse").PublicKey);
        var listed = Assert.Single(Wallet.List(_root));
        Assert.Equal("default", listed.Wallet);
        Assert.Equal(new[] { "default" }, listed.Hotkeys);
    }

    [Fact]
    public void A_wrong_password_or_a_damaged_file_is_named_and_nothing_changes()
    {
        var wallet = new Wallet(_root, "w");
        wallet.WriteColdkey(Mnemonic.DevPhrase, password: "right password");
        var before = File.ReadAllBytes(wallet.ColdkeyPath);
        Assert.Contains("wrong password", Assert.Throws<KeyfileException>(() => wallet.LoadColdkey("wrong password")).Message);
        File.WriteAllBytes(wallet.ColdkeyPath, before[..30]);
        Assert.Contains("truncated", Assert.Throws<KeyfileException>(() => wallet.LoadColdkey("right password")).Message);
        File.WriteAllBytes(wallet.ColdkeyPath, before);
        Assert.Contains("already exists", Assert.Throws<IOException>(() => wallet.WriteColdkey(Mnemonic.DevPhrase, null)).Message);
        var badPhrase = Mnemonic.DevPhrase.Replace("walk", "zoo");
        Assert.Throws<MnemonicException>(() => wallet.WriteColdkey(badPhrase, null, overwrite: true));
        Assert.Equal(before, File.ReadAllBytes(wallet.ColdkeyPath));
        Assert.Contains("a password is needed", Assert.Throws<KeyfileException>(() => wallet.LoadColdkey(null)).Message);
    }

    [Fact]
    public void Keyfile_json_is_read_in_bittensor_precedence_and_checked()
    {
        var pair = SecretUri.Parse("//Alice").ToSr25519();
        var publicOnly = Keyfile.ToJson(pair, null, null, publicOnly: true);
        Assert.Equal(pair.PublicKey, Keyfile.PublicKeyOf(publicOnly));
        Assert.Contains("holds no secret", Assert.Throws<KeyfileException>(() => Keyfile.KeyPairOf(publicOnly)).Message);
        Assert.Equal(pair.PublicKey, Keyfile.PublicKeyOf("{\"ss58Address\": \"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"}"));
        Assert.Contains("does not match its secret", Assert.Throws<KeyfileException>(() =>
            Keyfile.PublicKeyOf("{\"secretPhrase\": \"" + Mnemonic.DevPhrase + "\", \"publicKey\": \"0x" + new string('0', 64) + "\"}")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<KeyfileException>(() => Keyfile.PublicKeyOf("{oops")).Message);
        Assert.Contains("legacy", Assert.Throws<KeyfileException>(() => Keyfile.Decrypt("gAAAAAbc"u8, "x")).Message);
    }
}

public class SoftDerivationTests
{
    [Theory]
    [InlineData("//Bob", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty")]
    [InlineData("//Alice//stash", "5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY")]
    public void Other_well_known_dev_accounts(string uri, string address) =>
        Assert.Equal(address, Ss58.Encode(SecretUri.Parse(uri).ToSr25519().PublicKey));

    [Fact]
    public void A_soft_child_public_key_can_be_derived_from_the_parent_public_key_alone()
    {
        var alice = SecretUri.Parse("//Alice").ToSr25519();
        var chainCode = Junction.Parse("stash", hard: false).ChainCode;
        var child = alice.DeriveSoft(chainCode);
        Assert.Equal(child.PublicKey, Sr25519KeyPair.DerivePublicSoft(alice.PublicKey, chainCode));
        Assert.NotEqual(alice.PublicKey, child.PublicKey);
        Assert.Equal(child.PublicKey, SecretUri.Parse("//Alice/stash").ToSr25519().PublicKey);
        var signature = child.Sign("soft"u8);
        Assert.True(Sr25519KeyPair.Verify(signature, "soft"u8, child.PublicKey));
        Assert.NotEqual(child.PublicKey, SecretUri.Parse("//Alice//stash").ToSr25519().PublicKey);
    }
}

public class MerlinTests
{
    [Fact]
    public void The_published_merlin_transcript_vector()
    {
        // merlin's equivalence_simple, as published by the Go and Python ports
        var transcript = new Transcript("test protocol");
        transcript.AppendMessage("some label"u8, "some data"u8);
        var challenge = new byte[32];
        transcript.ChallengeBytes("challenge"u8, challenge);
        Assert.Equal("d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615", Convert.ToHexStringLower(challenge));
    }
}
