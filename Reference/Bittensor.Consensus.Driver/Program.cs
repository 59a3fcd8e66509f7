using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Consensus;
using Bittensor.Consensus.Driver;

// The conformance driver over the Reference consensus: one JSON request per line on stdin, one answer per line on
// stdout (docs/conformance.md). It implements the `epoch` runner and the `math` handlers the Reference has a public
// operation for (MathHandlers); everything else is answered "unsupported" and listed, with the reason, in
// Reference/Bittensor.Consensus.Driver/exclusions.json.
var output = Console.Out;
string? line;
while ((line = Console.In.ReadLine()) is not null)
{
    if (string.IsNullOrWhiteSpace(line)) continue;
    output.WriteLine(Answer(line));
    output.Flush();
}
return 0;

static string Answer(string line)
{
    JsonObject reply;
    string id = "";
    try
    {
        var request = JsonNode.Parse(line) ?? throw new MalformedInputException("request: expected an object");
        id = request["id"]?.GetValue<string>() ?? throw new MalformedInputException("request.id: missing");
        reply = new JsonObject { ["id"] = id };
        var runner = request["runner"]?.GetValue<string>();
        var handler = request["handler"]?.GetValue<string>();
        if (runner == "epoch" && handler == "epoch_mechanism")
        {
            var (hp, state) = VectorCodec.ReadEpochInput(request["input"] ?? throw new MalformedInputException("request.input: missing"));
            reply["output"] = VectorCodec.WriteEpochOutput(Epoch.Run(hp, state));
        }
        else if (runner == "math" && handler is not null && MathHandlers.Supports(handler))
            reply["output"] = MathHandlers.Answer(handler, request["input"] ?? throw new MalformedInputException("request.input: missing"));
        else reply["unsupported"] = true;
    }
    catch (Exception e) when (e is JsonException or MalformedInputException or InvalidOperationException or FormatException or ArithmeticException)
    {
        reply = new JsonObject { ["id"] = id, ["error"] = e.Message };
    }
    return reply.ToJsonString();
}
