using System.Text.Json.Nodes;
using Bittensor.Consensus.Driver;
using Bittensor.TestSupport;
using Xunit;

namespace Bittensor.Consensus.Tests;

/// <summary>The Reference must reproduce every epoch vector the spec generated, bit for bit.</summary>
public class VectorTests
{
    private static readonly string Root = VectorFiles.Root("epoch");

    public static TheoryData<string> EpochVectors() => VectorFiles.Of(Root, "epoch");

    [Theory]
    [MemberData(nameof(EpochVectors))]
    public void Every_epoch_vector_is_reproduced(string relativePath)
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relativePath)))!;
        var (hyperparameters, state) = VectorCodec.ReadEpochInput(vector["input"]!);
        var actual = VectorCodec.WriteEpochOutput(Epoch.Run(hyperparameters, state));
        var expected = vector["output"]!;
        foreach (var (field, value) in expected.AsObject())
            Assert.True(JsonNode.DeepEquals(value, actual[field]), $"{relativePath}: '{field}' differs\n expected {value?.ToJsonString()[..Math.Min(300, value.ToJsonString().Length)]}\n actual   {actual[field]?.ToJsonString()[..Math.Min(300, actual[field]!.ToJsonString().Length)]}");
        Assert.Equal(expected.AsObject().Count, actual.Count);
    }

    [Fact]
    public void The_vector_set_is_not_empty() => Assert.True(EpochVectors().Count >= 20);

    [Fact]
    public void A_malformed_input_names_the_field()
    {
        var input = JsonNode.Parse("""{"hyperparameters": {"era": "someday"}, "state": {}}""")!;
        var error = Assert.Throws<MalformedInputException>(() => VectorCodec.ReadEpochInput(input));
        Assert.Contains("input.hyperparameters.era", error.Message);
    }
}
