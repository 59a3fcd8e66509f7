using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bittensor.Chain;
using Bittensor.Consensus.Driver;

// The conformance driver over the Reference chain's runtime (docs/conformance.md line protocol): it runs the
// `scenario` vectors by dispatching each operation as the signed call a user would submit (origin = the signing
// account; the stand-in accounts of the vectors cannot sign, so signatures are tested apart) and stepping blocks with
// the runtime's block step. Everything else is answered "unsupported" and listed in exclusions.json.
string? line;
while ((line = Console.In.ReadLine()) is not null)
{
    if (string.IsNullOrWhiteSpace(line)) continue;
    Console.Out.WriteLine(Answer(line));
    Console.Out.Flush();
}
return 0;

static string Answer(string line)
{
    string id = "";
    try
    {
        var request = JsonNode.Parse(line) ?? throw new MalformedInputException("request: expected an object");
        id = request["id"]?.GetValue<string>() ?? throw new MalformedInputException("request.id: missing");
        var reply = new JsonObject { ["id"] = id };
        if (request["runner"]?.GetValue<string>() == "scenario" && request["handler"]?.GetValue<string>() == "subnet")
            reply["output"] = ScenarioDriver.Run(VectorCodec.Field(request, "request", "input"));
        else reply["unsupported"] = true;
        return reply.ToJsonString();
    }
    catch (Exception e) when (e is JsonException or MalformedInputException or InvalidOperationException or FormatException)
    {
        return new JsonObject { ["id"] = id, ["error"] = e.Message }.ToJsonString();
    }
}

static class ScenarioDriver
{
    private static JsonNode Str(string s) => JsonValue.Create(s);
    private static JsonNode U64(ulong x) => JsonValue.Create(x.ToString(CultureInfo.InvariantCulture));
    private static JsonNode Num(int x) => JsonValue.Create(x);

    private static AccountId Account(JsonNode node, string path)
    {
        var text = VectorCodec.Text(node, path);
        try { return AccountId.Parse(text); }
        catch (FormatException e) { throw new MalformedInputException($"{path}: {e.Message}"); }
    }

    private static ushort[] U16s(JsonNode node, string path) => VectorCodec.Array(node, path, VectorCodec.U16);

    private static SubnetParameters Parameters(JsonNode p, string path)
    {
        JsonNode F(string name) => VectorCodec.Field(p, path, name);
        string P(string name) => $"{path}.{name}";
        ulong U64(string name) => VectorCodec.U64(F(name), P(name));
        ushort U16(string name) => VectorCodec.U16(F(name), P(name));
        int Int(string name) => VectorCodec.Int(F(name), P(name));
        var target = U16("target_registrations_per_interval");
        if (target == 0) throw new MalformedInputException($"{P("target_registrations_per_interval")}: at least 1 (the burn adjustment divides by it)");
        return new SubnetParameters(
            VectorCodec.ReadHyperparameters(F("epoch"), P("epoch")), Int("max_allowed_uids"), U64("immunity_period"), Int("min_non_immune_uids"),
            Int("immune_owner_uids_limit"), U64("weights_rate_limit"), Int("min_allowed_weights"), U64("weights_version_key"), U16("max_weight_limit"),
            U64("weights_min_stake"), U64("reveal_period_epochs"), Int("max_unrevealed_commits"), U64("burn"), U64("min_burn"), U64("max_burn"),
            U16("adjustment_interval"), target, U64("adjustment_alpha"), Int("max_registrations_per_block"), U64("min_stake"),
            U64("serving_rate_limit"), U64("alpha_emission_per_block"), U16("subnet_owner_cut"), U64("max_tempo"));
    }

    /// <summary>A step's call and the account that signs it.</summary>
    private static (AccountId Origin, Call Call) Operation(JsonNode step, string path, ushort netuid)
    {
        JsonNode F(string name) => VectorCodec.Field(step, path, name);
        string P(string name) => $"{path}.{name}";
        AccountId Acc(string name) => Account(F(name), P(name));
        ushort[] List(string name) => U16s(F(name), P(name));
        ulong U64(string name) => VectorCodec.U64(F(name), P(name));
        byte Byte(string name) => VectorCodec.U16(F(name), P(name)) is var v && v <= 255 ? (byte)v : throw new MalformedInputException($"{P(name)}: a u8");
        var op = VectorCodec.Text(F("op"), P("op"));
        return op switch
        {
            "register" => (Acc("coldkey"), new Call.BurnedRegister(netuid, Acc("hotkey"))),
            "serve_axon" => (Acc("hotkey"), new Call.ServeAxon(netuid, (uint)U64("version"), Ip(F("ip"), P("ip")), VectorCodec.U16(F("port"), P("port")), Byte("ip_type"), Byte("protocol"), 0, 0)),
            "set_weights" => (Acc("hotkey"), new Call.SetWeights(netuid, List("uids"), List("values"), U64("version_key"))),
            "commit_weights" => (Acc("hotkey"), new Call.CommitWeights(netuid, Hash(F("hash"), P("hash")))),
            "reveal_weights" => (Acc("hotkey"), new Call.RevealWeights(netuid, List("uids"), List("values"), List("salt"), U64("version_key"))),
            "add_stake" => (Acc("coldkey"), new Call.AddStake(Acc("hotkey"), netuid, U64("amount"))),
            "remove_stake" => (Acc("coldkey"), new Call.RemoveStake(Acc("hotkey"), netuid, U64("amount"))),
            _ => throw new MalformedInputException($"{P("op")}: one of step, register, serve_axon, set_weights, commit_weights, reveal_weights, add_stake, remove_stake (got \"{op}\")"),
        };
    }

    private static UInt128 Ip(JsonNode node, string path) =>
        BigInteger.TryParse(VectorCodec.Text(node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v < BigInteger.One << 128
            ? (UInt128)v : throw new MalformedInputException($"{path}: a u128");

    private static byte[] Hash(JsonNode node, string path)
    {
        var hex = VectorCodec.Text(node, path);
        return hex.Length == 66 && hex.StartsWith("0x", StringComparison.Ordinal) && hex.Skip(2).All(Uri.IsHexDigit)
            ? Convert.FromHexString(hex.AsSpan(2)) : throw new MalformedInputException($"{path}: a 32-byte hash as 0x followed by 64 hex digits");
    }

    public static JsonNode Run(JsonNode input)
    {
        JsonNode F(string name) => VectorCodec.Field(input, "input", name);
        var netuid = VectorCodec.U16(F("netuid"), "input.netuid");
        var state = new ChainState { Block = VectorCodec.U64(F("block"), "input.block") };
        foreach (var pair in VectorCodec.Array(F("balances"), "input.balances", (n, p) => n is JsonArray { Count: 2 } a
                     ? (Account(a[0]!, $"{p}[0]"), VectorCodec.U64(a[1]!, $"{p}[1]")) : throw new MalformedInputException($"{p}: an [account, amount] pair")))
            state.Balances[pair.Item1] = pair.Item2;
        var subnet = SubnetRules.Create(netuid, Account(F("owner_coldkey"), "input.owner_coldkey"), Account(F("owner_hotkey"), "input.owner_hotkey"),
            Parameters(F("parameters"), "input.parameters"), state.Block);
        state.Subnets[netuid] = subnet;
        var results = new JsonArray();
        var steps = F("steps") as JsonArray ?? throw new MalformedInputException("input.steps: expected an array");
        for (var i = 0; i < steps.Count; i++)
        {
            var path = $"input.steps[{i}]";
            var step = steps[i] ?? throw new MalformedInputException($"{path}: unexpected null");
            if (VectorCodec.Text(VectorCodec.Field(step, path, "op"), $"{path}.op") == "step")
            {
                var blocks = VectorCodec.Int(VectorCodec.Field(step, path, "blocks"), $"{path}.blocks");
                if (blocks > 1_000_000) throw new MalformedInputException($"{path}.blocks: at most 1000000 blocks in one step (got {blocks})");
                var epochs = new JsonArray();
                for (var b = 0; b < blocks; b++)
                    if (Runtime.BeginBlock(state, state.Block + 1).Count > 0) epochs.Add(U64(state.Block));
                results.Add(new JsonObject { ["epochs_at"] = epochs });
            }
            else
            {
                var (origin, call) = Operation(step, path, netuid);
                results.Add(Str(Runtime.Dispatch(state, origin, call)?.ToString() ?? "ok"));
            }
        }
        return new JsonObject { ["results"] = results, ["final"] = Final(state, subnet) };
    }

    private static JsonNode Final(ChainState state, Subnet s)
    {
        JsonArray Row(Bittensor.Consensus.StoredEntry[] entries) => new(entries.Select(e => (JsonNode)new JsonArray(Num(e.Uid), Num(e.Value))).ToArray());
        JsonNode Neuron(Neuron n) => new JsonObject
        {
            ["hotkey"] = Str(n.Hotkey.Hex), ["coldkey"] = Str(n.Coldkey.Hex), ["registration_block"] = U64(n.RegistrationBlock),
            ["last_update"] = U64(n.LastUpdate), ["weights"] = Row(n.Weights), ["bonds"] = Row(n.Bonds),
            ["axon"] = n.Axon is { } a
                ? new JsonObject { ["block"] = U64(a.Block), ["ip"] = Str(a.Ip.ToString(CultureInfo.InvariantCulture)), ["port"] = Num(a.Port), ["ip_type"] = Num(a.IpType), ["version"] = Num((int)a.Version) }
                : null,
            ["validator_permit"] = JsonValue.Create(n.ValidatorPermit), ["active"] = JsonValue.Create(n.Active), ["stake_weight"] = Num(n.StakeWeight),
            ["consensus"] = Num(n.Consensus), ["incentive"] = Num(n.Incentive), ["dividends"] = Num(n.Dividends),
            ["validator_trust"] = Num(n.ValidatorTrust), ["emission"] = U64(n.Emission),
        };
        return new JsonObject
        {
            ["block"] = U64(state.Block), ["epoch_index"] = U64(s.EpochIndex), ["last_epoch_block"] = U64(s.LastEpochBlock),
            ["pending_server_emission"] = U64(s.PendingServerEmission), ["pending_validator_emission"] = U64(s.PendingValidatorEmission),
            ["pending_owner_cut"] = U64(s.PendingOwnerCut), ["burn"] = U64(s.Parameters.Burn), ["last_adjustment_block"] = U64(s.LastAdjustmentBlock),
            ["registrations_this_interval"] = Num(s.RegistrationsThisInterval),
            ["neurons"] = new JsonArray(s.Neurons.Select(Neuron).ToArray()),
            ["stake"] = new JsonArray(s.Stake.Select(kv => (JsonNode)new JsonArray(Str(kv.Key.Hotkey.Hex), Str(kv.Key.Coldkey.Hex), U64(kv.Value))).ToArray()),
            ["balances"] = new JsonArray(state.Balances.Select(kv => (JsonNode)new JsonArray(Str(kv.Key.Hex), U64(kv.Value))).ToArray()),
        };
    }
}
