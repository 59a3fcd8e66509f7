using System.Text.Json.Nodes;
using Bittensor.Axon;
using Bittensor.TestSupport;
using Xunit;

namespace Bittensor.Axon.Tests;

/// <summary>The Reference's wire rules (<see cref="Wire"/>) against every committed <c>wire</c> vector.</summary>
public class WireVectorTests
{
    private static readonly string Root = VectorFiles.Root("wire");

    public static TheoryData<string> Vectors() => VectorFiles.Of(Root, "wire");

    private static long L(JsonNode? n) => long.Parse(n!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    private static long? OptL(JsonNode? n) => n is null ? null : L(n);
    private static string S(JsonNode? n) => n!.GetValue<string>();

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Reference_agrees_with_the_vector(string relativePath)
    {
        var vector = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relativePath)))!;
        var i = vector["input"]!;
        JsonNode actual = vector["handler"]!.GetValue<string>() switch
        {
            "body_hash" => new JsonObject
            {
                ["field_strings"] = new JsonArray(i["fields"]!.AsArray().Select(f => (JsonNode?)Wire.PyStr(f)).ToArray()),
                ["body_hash"] = Wire.BodyHash(i["fields"]!.AsArray()),
            },
            "request_message" => new JsonObject { ["message"] = Wire.RequestMessage(L(i["nonce"]), S(i["dendrite_hotkey"]), S(i["axon_hotkey"]), S(i["uuid"]), S(i["body_hash"])) },
            "request_signature" => new JsonObject
            {
                ["valid"] = Wire.VerifyRequest(L(i["nonce"]), S(i["dendrite_hotkey"]), S(i["axon_hotkey"]), S(i["uuid"]), S(i["body_hash"]), Convert.FromHexString(S(i["signature"])[2..])),
            },
            "nonce" => Wire.CheckNonce(L(i["now_ns"]), L(i["timeout_ns"]), L(i["dendrite_version"]), OptL(i["last_accepted"]), OptL(i["nonce"])) switch
            {
                null => new JsonObject { ["accepted"] = true },
                var refusal => new JsonObject
                {
                    ["accepted"] = false,
                    ["refusal"] = refusal switch
                    {
                        NonceRefusal.NonceMissing => "nonce_missing",
                        NonceRefusal.NonceTooOld => "nonce_too_old",
                        _ => "nonce_not_increasing",
                    },
                },
            },
            "version_as_int" => Wire.VersionAsInt(S(i["version"])) is { } v
                ? new JsonObject { ["valid"] = true, ["value"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : new JsonObject { ["valid"] = false },
            var other => throw new InvalidDataException($"{relativePath}: unknown wire handler '{other}'"),
        };
        Assert.True(JsonNode.DeepEquals(vector["output"], actual), $"{relativePath}: expected {vector["output"]!.ToJsonString()} got {actual.ToJsonString()}");
    }

    [Fact]
    public void Every_wire_handler_has_vectors() =>
        Assert.Equal(["body_hash", "nonce", "request_message", "request_signature", "version_as_int"],
            Directory.GetDirectories(Path.Combine(Root, "wire")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray());
}
