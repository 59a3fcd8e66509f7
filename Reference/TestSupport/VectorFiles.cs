using Xunit;

namespace Bittensor.TestSupport;

/// <summary>The committed <c>vectors/</c> folder, found above the test binaries, and one runner's vector files. Linked
/// into each xunit project that replays vectors (see its <c>.csproj</c>).</summary>
internal static class VectorFiles
{
    /// <summary>The <c>vectors/</c> folder nearest above the test binaries that holds <paramref name="runner"/>'s
    /// vectors.</summary>
    public static string Root(string runner)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "vectors", runner))) dir = dir.Parent;
        return dir is null
            ? throw new DirectoryNotFoundException($"no vectors/{runner} above the test binaries in {AppContext.BaseDirectory}")
            : Path.Combine(dir.FullName, "vectors");
    }

    /// <summary>Every <c>.json</c> file under <c>vectors/<paramref name="runner"/></c>, relative to
    /// <paramref name="root"/>, in ordinal order (so test names are stable).</summary>
    public static TheoryData<string> Of(string root, string runner)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, runner), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, file));
        return data;
    }
}
