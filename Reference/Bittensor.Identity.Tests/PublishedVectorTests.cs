using System.Text;
using Xunit;

namespace Bittensor.Identity.Tests;

/// <summary>Known answers published by other implementations: substrate-bip39's table, sp-core's sr25519 and ed25519
/// tests, and RFC 8032. Each value is quoted as published; where a test states a rejection, the publisher's modern
/// verifier rejects it too.</summary>
public class PublishedVectorTests
{
    /// <summary>substrate-bip39's <c>vectors_are_correct</c>: phrase, entropy, and the 64-byte seed from the entropy with
    /// password "Substrate" (the mini secret is its first 32 bytes). The all-zero entropies of 16, 24 and 32 bytes share
    /// one seed: HMAC pads its key with zeros, so they are the same PBKDF2 key.</summary>
    public static TheoryData<string, string, string> SubstrateBip39 => new()
    {
        { "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "00000000000000000000000000000000", "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e33f50c3d5c84fa3e5399c72d6cbbbbc4a49bf76f76d952f479d74655a2ef2d453" },
        { "legal winner thank year wave sausage worth useful legal winner thank yellow", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "4313249608fe8ac10fd5886c92c4579007272cb77c21551ee5b8d60b780416850f1e26c1f4b8d88ece681cb058ab66d6182bc2ce5a03181f7b74c27576b5c8bf" },
        { "letter advice cage absurd amount doctor acoustic avoid letter advice cage above", "80808080808080808080808080808080", "27f3eb595928c60d5bc91a4d747da40ed236328183046892ed6cd5aa9ae38122acd1183adf09a89839acb1e6eaa7fb563cc958a3f9161248d5a036e0d0af533d" },
        { "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", "ffffffffffffffffffffffffffffffff", "227d6256fd4f9ccaf06c45eaa4b2345969640462bbb00c5f51f43cb43418c7a753265f9b1e0c0822c155a9cabc769413ecc14553e135fe140fc50b6722c6b9df" },
        { "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent", "000000000000000000000000000000000000000000000000", "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e33f50c3d5c84fa3e5399c72d6cbbbbc4a49bf76f76d952f479d74655a2ef2d453" },
        { "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal will", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "cb1d50e14101024a88905a098feb1553d4306d072d7460e167a60ccb3439a6817a0afc59060f45d999ddebc05308714733c9e1e84f30feccddd4ad6f95c8a445" },
        { "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter always", "808080808080808080808080808080808080808080808080", "9ddecf32ce6bee77f867f3c4bb842d1f0151826a145cb4489598fe71ac29e3551b724f01052d1bc3f6d9514d6df6aa6d0291cfdf997a5afdb7b6a614c88ab36a" },
        { "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when", "ffffffffffffffffffffffffffffffffffffffffffffffff", "8971cb290e7117c64b63379c97ed3b5c6da488841bd9f95cdc2a5651ac89571e2c64d391d46e2475e8b043911885457cd23e99a28b5a18535fe53294dc8e1693" },
        { "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art", "0000000000000000000000000000000000000000000000000000000000000000", "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e33f50c3d5c84fa3e5399c72d6cbbbbc4a49bf76f76d952f479d74655a2ef2d453" },
        { "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title", "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f", "3037276a5d05fcd7edf51869eb841bdde27c574dae01ac8cfb1ea476f6bea6ef57ab9afe14aea1df8a48f97ae25b37d7c8326e49289efb25af92ba5a25d09ed3" },
        { "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless", "8080808080808080808080808080808080808080808080808080808080808080", "2c9c6144a06ae5a855453d98c3dea470e2a8ffb78179c2e9eb15208ccca7d831c97ddafe844ab933131e6eb895f675ede2f4e39837bb5769d4e2bc11df58ac42" },
        { "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "047e89ef7739cbfe30da0ad32eb1720d8f62441dd4f139b981b8e2d0bd412ed4eb14b89b5098c49db2301d4e7df4e89c21e53f345138e56a5e7d63fae21c5939" },
        { "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic", "9e885d952ad362caeb4efe34a8e91bd2", "f4956be6960bc145cdab782e649a5056598fd07cd3f32ceb73421c3da27833241324dc2c8b0a4d847eee457e6d4c5429f5e625ece22abaa6a976e82f1ec5531d" },
        { "gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog", "6610b25967cdcca9d59875f5cb50b0ea75433311869e930b", "fbcc5229ade0c0ff018cb7a329c5459f91876e4dde2a97ddf03c832eab7f26124366a543f1485479c31a9db0d421bda82d7e1fe562e57f3533cb1733b001d84d" },
        { "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length", "68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c", "7c60c555126c297deddddd59f8cdcdc9e3608944455824dd604897984b5cc369cad749803bb36eb8b786b570c9cdc8db275dbe841486676a6adf389f3be3f076" },
        { "scheme spot photo card baby mountain device kick cradle pact join borrow", "c0ba5a8e914111210f2bd131f3d5e08d", "c12157bf2506526c4bd1b79a056453b071361538e9e2c19c28ba2cfa39b5f23034b974e0164a1e8acd30f5b4c4de7d424fdb52c0116bfc6a965ba8205e6cc121" },
        { "horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap uncle crack brave", "6d9be1ee6ebd27a258115aad99b7317b9c8d28b6d76431c3", "23766723e970e6b79dec4d5e4fdd627fd27d1ee026eb898feb9f653af01ad22080c6f306d1061656d01c4fe9a14c05f991d2c7d8af8730780de4f94cd99bd819" },
        { "panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside", "9f6a2878b2520799a44ef18bc7df394e7061a224d2c33cd015b157d746869863", "f4c83c86617cb014d35cd87d38b5ef1c5d5c3d58a73ab779114438a7b358f457e0462c92bddab5a406fe0e6b97c71905cf19f925f356bc673ceb0e49792f4340" },
        { "cat swing flag economy stadium alone churn speed unique patch report train", "23db8160a31d3e0dca3688ed941adbf3", "719d4d4de0638a1705bf5237262458983da76933e718b2d64eb592c470f3c5d222e345cc795337bb3da393b94375ff4a56cfcd68d5ea25b577ee9384d35f4246" },
        { "light rule cinnamon wrap drastic word pride squirrel upgrade then income fatal apart sustain crack supply proud access", "8197a4a47f0425faeaa69deebc05ca29c0a5b5cc76ceacc0", "7ae1291db32d16457c248567f2b101e62c5549d2a64cd2b7605d503ec876d58707a8d663641e99663bc4f6cc9746f4852e75e7e54de5bc1bd3c299c9a113409e" },
        { "all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform", "066dca1a2bb7e8a1db2832148ce9933eea0f3ac9548d793112d9a95c9407efad", "a911a5f4db0940b17ecb79c4dcf9392bf47dd18acaebdd4ef48799909ebb49672947cc15f4ef7e8ef47103a1a91a6732b821bda2c667e5b1d491c54788c69391" },
        { "vessel ladder alter error federal sibling chat ability sun glass valve picture", "f30f8c1da665478f49b001d94c5fc452", "4e2314ca7d9eebac6fe5a05a5a8d3546bc891785414d82207ac987926380411e559c885190d641ff7e686ace8c57db6f6e4333c1081e3d88d7141a74cf339c8f" },
        { "scissors invite lock maple supreme raw rapid void congress muscle digital elegant little brisk hair mango congress clump", "c10ec20dc3cd9f652c7fac2f1230f7a3c828389a14392f05", "7a83851102849edc5d2a3ca9d8044d0d4f00e5c4a292753ed3952e40808593251b0af1dd3c9ed9932d46e8608eb0b928216a6160bd4fc775a6e6fbd493d7c6b2" },
        { "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold", "f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f", "938ba18c3f521f19bd4a399c8425b02c716844325b1a65106b9d1593fbafe5e0b85448f523f91c48e331995ff24ae406757cff47d11f240847352b348ff436ed" },
    };

    [Theory]
    [MemberData(nameof(SubstrateBip39))]
    public void Substrate_bip39_entropy_and_mini_secret(string phrase, string entropy, string seed)
    {
        Assert.Equal(entropy, Convert.ToHexStringLower(Mnemonic.ToEntropy(phrase)));
        Assert.Equal(phrase, Mnemonic.FromEntropy(Convert.FromHexString(entropy)));
        Assert.Equal(seed[..64], Convert.ToHexStringLower(Mnemonic.ToMiniSecret(phrase, "Substrate")));
    }

    [Fact]
    public void The_password_is_part_of_the_salt()
    {
        const string phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        Assert.NotEqual(Mnemonic.ToMiniSecret(phrase, "Substrate"), Mnemonic.ToMiniSecret(phrase));
        Assert.NotEqual(Mnemonic.ToMiniSecret(phrase, "Substrate"), Mnemonic.ToMiniSecret(phrase, "substrate"));
    }

    /// <summary>sp-core's <c>sr_test_vector_should_work</c> and <c>seeded_pair_should_work</c>: a mini secret expands to
    /// the published public key, and the pair's signatures verify.</summary>
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f")]
    [InlineData("3132333435363738393031323334353637383930313233343536373839303132", "741c08a06f41c596608f6774259bd9043304adfa5d3eea62760bd9be97634d63")]
    public void Sp_core_sr25519_seeds_give_their_published_public_keys(string miniSecret, string publicKey)
    {
        var pair = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(miniSecret));
        Assert.Equal(publicKey, Convert.ToHexStringLower(pair.PublicKey));
        var signature = pair.Sign([]);
        Assert.True(Sr25519KeyPair.Verify(signature, [], pair.PublicKey));
    }

    /// <summary>A secret URI may start from the seed in hex instead of a phrase (sp-core's
    /// <c>from_string_with_seed</c>): the same published keys, for both schemes; a password has no effect there.</summary>
    [Fact]
    public void A_hex_seed_uri_names_the_published_keys()
    {
        const string seed = "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        Assert.Equal("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f", Convert.ToHexStringLower(SecretUri.Parse(seed).ToSr25519().PublicKey));
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(SecretUri.Parse(seed).ToEd25519().PublicKey));
        Assert.Equal(SecretUri.Parse(seed).ToSr25519().PublicKey, SecretUri.Parse(seed + "///ignored").ToSr25519().PublicKey);
        var derived = SecretUri.Parse(seed + "//hard/soft").ToSr25519().PublicKey;
        var byHand = Sr25519KeyPair.FromMiniSecret(Convert.FromHexString(seed[2..]))
            .DeriveHard(Junction.Parse("hard", hard: true).ChainCode).DeriveSoft(Junction.Parse("soft", hard: false).ChainCode).PublicKey;
        Assert.Equal(byHand, derived);
    }

    [Theory]
    [InlineData("0x1234", "this one has 4 characters after 0x")]
    [InlineData("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6g", "64 hex digits")]
    [InlineData("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6000//Alice", "this one has 66 characters")]
    public void A_malformed_hex_seed_is_named(string uri, string message) =>
        Assert.Contains(message, Assert.Throws<SecretUriException>(() => SecretUri.Parse(uri).ToSr25519()).Message);

    [Fact]
    public void The_second_sp_core_seed_is_the_ascii_of_its_digits() =>
        Assert.Equal("3132333435363738393031323334353637383930313233343536373839303132", Convert.ToHexStringLower("12345678901234567890123456789012"u8));

    /// <summary>sp-core's <c>derive_soft_known_pair_should_work</c>: the dev phrase with one soft junction.</summary>
    [Fact]
    public void The_dev_phrase_soft_Alice_is_the_published_key()
    {
        Assert.Equal("d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e",
            Convert.ToHexStringLower(SecretUri.Parse(Mnemonic.DevPhrase + "/Alice").ToSr25519().PublicKey));
        // sp-core's default_phrase_should_be_used: a URI without a phrase uses the dev phrase
        Assert.Equal(SecretUri.Parse(Mnemonic.DevPhrase + "/Alice").ToSr25519().PublicKey, SecretUri.Parse("/Alice").ToSr25519().PublicKey);
    }

    /// <summary>Signatures made by schnorrkel before 0.8 (sp-core's <c>verify_known_old_message_should_work</c> and
    /// <c>verify_from_old_wasm_works</c>) lack the marker bit in their last byte. sp-core accepts them only through
    /// <c>verify_deprecated</c>; its <c>verify</c>, the one the chain uses, rejects them, and so must ours.</summary>
    [Theory]
    [InlineData("b4bfa1f7a5166695eb75299fd1c4c03ea212871c342f2c5dfea0902b2c246918",
        "Verifying that I am the owner of 5G9hQLdsKQswNPgB499DeA5PkFBbgkLPJWkkS6FAM6xGQ8xD. Hash: 221455a3\n",
        "5a9755f069939f45d96aaf125cf5ce7ba1db998686f87f2fb3cbdea922078741a73891ba265f70c31436e18a9acd14d189d73c12317ab6c313285cd938453202")]
    [InlineData(null, "SUBSTRATE",
        "28a854d54903e056f89581c691c1f7d2ff39f8f896c9e9c22475e60902cc2b3547199e0e91fa32902028f2ca2355e8cdd16cfe19ba5e8b658c94aa80f3b81a00")]
    public void Pre_marker_signatures_are_rejected(string? publicKey, string message, string signature)
    {
        // the second vector's key is the pair of the all-zero mini secret
        var key = publicKey is null ? Sr25519KeyPair.FromMiniSecret(new byte[32]).PublicKey : Convert.FromHexString(publicKey);
        var bytes = Convert.FromHexString(signature);
        Assert.Equal(0, bytes[63] & 0x80);
        Assert.False(Sr25519KeyPair.Verify(bytes, Encoding.UTF8.GetBytes(message), key));
    }

    /// <summary>RFC 8032 section 7.1, tests 1 and 2: ed25519 is deterministic, so the signature itself is a known answer.</summary>
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void Rfc8032_ed25519_known_answers(string seed, string publicKey, string message, string signature)
    {
        var pair = new Ed25519KeyPair(Convert.FromHexString(seed));
        Assert.Equal(publicKey, Convert.ToHexStringLower(pair.PublicKey));
        Assert.Equal(signature, Convert.ToHexStringLower(pair.Sign(Convert.FromHexString(message))));
        Assert.True(Ed25519KeyPair.Verify(Convert.FromHexString(signature), Convert.FromHexString(message), pair.PublicKey));
    }
}
