using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Bittensor.Identity;

/// <summary>A mnemonic that is not a valid BIP-39 English phrase; the message says which word or what is wrong.</summary>
public sealed class MnemonicException(string message) : FormatException(message);

/// <summary>
/// BIP-39 mnemonics (English list, 12 to 24 words, 11 bits a word, the checksum being the first entropy-bits/32 bits of
/// SHA-256 of the entropy) and Substrate's rule for turning one into a key seed, which differs from Bitcoin's: the
/// PBKDF2 input is the <b>entropy</b>, not the phrase (substrate-bip39 <c>seed_from_entropy</c>).
/// </summary>
public static class Mnemonic
{
    /// <summary>The development phrase behind <c>//Alice</c>, <c>//Bob</c> and the other test accounts.</summary>
    public const string DevPhrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

    public static readonly IReadOnlyList<string> EnglishWords = LoadWords();
    private static readonly Dictionary<string, int> Index = EnglishWords.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);

    private static string[] LoadWords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("bip39-english.txt")
            ?? throw new InvalidOperationException("the BIP-39 word list is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The entropy (16 to 32 bytes) a phrase encodes.</summary>
    /// <exception cref="MnemonicException">A word count other than 12, 15, 18, 21 or 24; a word not in the list; a
    /// checksum that does not match.</exception>
    public static byte[] ToEntropy(string phrase)
    {
        var words = phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (12 or 15 or 18 or 21 or 24))
            throw new MnemonicException($"a mnemonic has 12, 15, 18, 21 or 24 words; this one has {words.Length}");
        var bits = new bool[words.Length * 11];
        for (var w = 0; w < words.Length; w++)
        {
            if (!Index.TryGetValue(words[w], out var index))
                throw new MnemonicException($"word {w + 1}, '{words[w]}', is not in the BIP-39 English list");
            for (var b = 0; b < 11; b++) bits[w * 11 + b] = (index >> (10 - b) & 1) == 1;
        }
        var checksumBits = words.Length * 11 / 33;
        var entropy = new byte[(bits.Length - checksumBits) / 8];
        for (var i = 0; i < entropy.Length * 8; i++) if (bits[i]) entropy[i / 8] |= (byte)(0x80 >> (i % 8));
        var hash = SHA256.HashData(entropy);
        for (var i = 0; i < checksumBits; i++)
        {
            var expected = (hash[i / 8] & (0x80 >> (i % 8))) != 0;
            if (bits[entropy.Length * 8 + i] != expected)
                throw new MnemonicException("the mnemonic's checksum does not match: a word is wrong or out of order");
        }
        return entropy;
    }

    /// <summary>The phrase for 16, 20, 24, 28 or 32 bytes of entropy.</summary>
    public static string FromEntropy(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length is not (16 or 20 or 24 or 28 or 32))
            throw new ArgumentException($"BIP-39 entropy is 16, 20, 24, 28 or 32 bytes, got {entropy.Length}", nameof(entropy));
        byte[] bits = [.. entropy, .. SHA256.HashData(entropy)]; // the checksum bits follow the entropy bits
        var totalBits = entropy.Length * 8 + entropy.Length / 4;
        bool Bit(int i) => (bits[i / 8] & (0x80 >> (i % 8))) != 0;
        var words = new string[totalBits / 11];
        for (var w = 0; w < words.Length; w++)
        {
            var index = 0;
            for (var b = 0; b < 11; b++) index = (index << 1) | (Bit(w * 11 + b) ? 1 : 0);
            words[w] = EnglishWords[index];
        }
        return string.Join(' ', words);
    }

    /// <summary>A new random phrase of <paramref name="words"/> words.</summary>
    public static string Generate(int words = 12) => words switch
    {
        12 or 15 or 18 or 21 or 24 => FromEntropy(RandomNumberGenerator.GetBytes(words * 11 * 32 / 33 / 8)),
        _ => throw new ArgumentOutOfRangeException(nameof(words), words, "12, 15, 18, 21 or 24 words"),
    };

    /// <summary>Substrate's 32-byte mini secret (seed) for a phrase: PBKDF2-HMAC-SHA512 of the entropy with salt
    /// "mnemonic" + password, 2048 rounds, first 32 of the 64 bytes.</summary>
    public static byte[] ToMiniSecret(string phrase, string password = "")
    {
        var entropy = ToEntropy(phrase);
        var seed = Rfc2898DeriveBytes.Pbkdf2(entropy, Encoding.UTF8.GetBytes("mnemonic" + password), 2048, HashAlgorithmName.SHA512, 64);
        return seed[..32];
    }
}
