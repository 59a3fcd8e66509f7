namespace Bittensor.Neurons;

/// <summary>
/// The subnet's alphabet: newline and the 95 printable ASCII characters, so a distribution over the next character is
/// 96 probabilities in this order. Other characters read as a space.
/// </summary>
public static class CharVocabulary
{
    public const int Size = 96;

    public static int IdOf(char c) => c == '\n' ? 0 : c is >= ' ' and <= '~' ? c - ' ' + 1 : 1;
    public static char CharOf(int id) => id == 0 ? '\n' : (char)(' ' + id - 1);
    public static long[] Encode(string text) => text.Select(c => (long)IdOf(c)).ToArray();
}

/// <summary>
/// A text corpus split once into a training part and a held-out part (the last tenth of its lines), which only
/// validators read. The shipped corpus is the King James Version's four Gospels (public domain, made by
/// <c>scripts/make-corpus.sh</c>).
/// </summary>
public sealed class Corpus
{
    public string Training { get; }
    public string HeldOut { get; }

    public Corpus(string text, double heldOutFraction = 0.1)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 10) throw new InvalidDataException($"a corpus needs at least 10 lines, got {lines.Length}");
        var split = (int)Math.Ceiling(lines.Length * (1 - heldOutFraction));
        Training = string.Join('\n', lines[..split]) + "\n";
        HeldOut = string.Join('\n', lines[split..]) + "\n";
    }

    public static Corpus Load(string path) =>
        File.Exists(path) ? new Corpus(File.ReadAllText(path)) : throw new FileNotFoundException($"no corpus at {path} (scripts/make-corpus.sh writes it)", path);

    /// <summary>data/corpus/kjv-gospels.txt in the checkout that holds <paramref name="start"/> (or a folder above it).</summary>
    public static string DefaultPath(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "data", "corpus", "kjv-gospels.txt"))) dir = dir.Parent;
        return dir is null ? throw new FileNotFoundException("no data/corpus/kjv-gospels.txt above " + (start ?? AppContext.BaseDirectory))
            : Path.Combine(dir.FullName, "data", "corpus", "kjv-gospels.txt");
    }

    /// <summary>A window of <paramref name="length"/> characters and the character after it.</summary>
    public static (string Window, char Next) Sample(string text, int length, Random rng)
    {
        if (text.Length < length + 2) throw new InvalidDataException($"a text of {text.Length} characters is too short for windows of {length} and the character after");
        var start = rng.Next(0, text.Length - length - 1);
        return (text.Substring(start, length), text[start + length]);
    }
}
