using Bittensor.Node;
using Xunit;

namespace Bittensor.Node.Tests;

public class CliTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void The_default_command_simulates_eight_epochs_and_prints_the_final_metagraph()
    {
        var (code, output, error) = Run();
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("8 epochs to block 160", output);
        var metagraph = output[output.IndexOf("Final metagraph", StringComparison.Ordinal)..];
        var rows = metagraph.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length > 3 && int.TryParse(cells[0], out _)).ToList();
        Assert.Equal(9, rows.Count);
        // column 5 is incentive: the miner both large validators rate highest (miner-1) earns the most
        var incentive = rows.ToDictionary(r => r[1], r => decimal.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(incentive.Values.Max(), incentive["miner-1"]);
        Assert.True(incentive["miner-5"] < incentive["miner-4"], "the small validator's favourite is clipped to what the others support");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    [InlineData("1001")]
    public void Simulate_rejects_a_bad_epoch_count_by_name(string count)
    {
        var (code, output, error) = Run("simulate", "--epochs", count);
        Assert.Equal(Cli.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains($"--epochs takes a whole number from 1 to 1000, got '{count}'", error);
    }

    [Fact]
    public void Simulate_runs_the_requested_number_of_epochs()
    {
        var (code, output, _) = Run("simulate", "--epochs", "2");
        Assert.Equal(0, code);
        Assert.Contains("2 epochs to block 40", output);
    }

    [Fact]
    public void The_epoch_command_prints_one_row_per_uid_of_the_example_subnet()
    {
        var (code, output, error) = Run("epoch");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tableRows = lines.Where(l => char.IsDigit(l.TrimStart()[0]) && (l.Contains("validator") || l.Contains("miner"))).ToList();
        Assert.Equal(8, tableRows.Count);
        Assert.Contains(lines, l => l.StartsWith("uid"));
    }

    [Fact]
    public void The_miner_only_the_smallest_validator_supports_earns_nothing_and_the_best_supported_earns_most()
    {
        var (_, output, _) = Run("epoch");
        var rows = output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length > 2 && cells[1] == "miner" && int.TryParse(cells[0], out _))
            .ToList();
        Assert.Equal(5, rows.Count);
        var minerAlpha = rows.ToDictionary(r => int.Parse(r[0]), r => decimal.Parse(r[9], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0m, minerAlpha[7]);
        Assert.Equal(minerAlpha.Values.Max(), minerAlpha[3]);
        Assert.True(minerAlpha[3] > minerAlpha[4] && minerAlpha[4] > minerAlpha[5], "incentive follows the agreed weights");
    }

    [Fact]
    public void The_cabal_simulation_prints_the_papers_table()
    {
        var (code, output, _) = Run("analysis", "cabal", "--blocks", "5");
        Assert.Equal(0, code);
        Assert.Contains("| 0 | 0.4877323388820201 |", output);
        Assert.Contains("| 4 | 0.4723093486843246 |", output);
        Assert.Equal(Cli.UsageError, Run("analysis", "cabal", "--blocks", "0").Code);
    }

    [Fact]
    public void The_guarantees_command_refuses_bad_options_with_what_was_wrong()
    {
        var (code, _, error) = Run("analysis", "guarantees", "--seed", "x1");
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("--seed takes a whole number, got 'x1'", error);
        var missing = Path.Combine(Path.GetTempPath(), "bittensor-no-such-dir-" + Guid.NewGuid());
        (code, _, error) = Run("analysis", "guarantees", "--plots", missing);
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains($"'{missing}' is not one", error);
        (code, _, error) = Run("analysis", "guarantees", "--fast");
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("got '--fast'", error);
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error_that_names_it()
    {
        var (code, output, error) = Run("frobnicate");
        Assert.Equal(Cli.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains("unknown command 'frobnicate'", error);
        Assert.Contains("usage:", error);
    }

    [Fact]
    public void Epoch_with_extra_arguments_is_a_usage_error()
    {
        var (code, _, error) = Run("epoch", "--now");
        Assert.Equal(Cli.UsageError, code);
        Assert.Contains("takes no arguments", error);
    }

    [Theory]
    [InlineData((ushort)0, "0.0000")]
    [InlineData((ushort)65535, "1.0000")]
    [InlineData((ushort)32767, "0.5000")]
    [InlineData((ushort)6553, "0.1000")]
    [InlineData((ushort)3, "0.0000")]
    [InlineData((ushort)4, "0.0001")]
    public void Proportions_print_with_four_places_rounded_half_up(ushort value, string expected) =>
        Assert.Equal(expected, EpochTable.Proportion(value));

    [Theory]
    [InlineData(0UL, "0.000000000")]
    [InlineData(1_500_000_000UL, "1.500000000")]
    [InlineData(99_999_999UL, "0.099999999")]
    public void Rao_prints_as_alpha_with_nine_places(ulong rao, string expected) => Assert.Equal(expected, EpochTable.Alpha(rao));
}

public sealed class WalletCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("node-wallets-").FullName;
    public void Dispose() => Directory.Delete(_root, true);

    private (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(["wallet", .. args, "--wallet-path", _root], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Create_writes_a_wallet_and_shows_no_secret_unless_asked()
    {
        var (code, output, error) = Run("create", "--name", "alice");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("coldkey 5", output);
        Assert.Contains("(not encrypted)", output);
        Assert.DoesNotContain("mnemonic:", output);
        var (_, listed, _) = Run("list");
        Assert.Equal("alice: default", listed.Trim());
        var (_, shown, _) = Run("show", "--name", "alice");
        Assert.Contains("hotkey default  5", shown);
        var (again, _, refused) = Run("create", "--name", "alice");
        Assert.Equal(1, again);
        Assert.Contains("already exists", refused);
    }

    [Fact]
    public void Regenerating_from_a_mnemonic_gives_the_known_address()
    {
        Environment.SetEnvironmentVariable("TEST_DEV_PHRASE", Bittensor.Identity.Mnemonic.DevPhrase);
        var (code, output, _) = Run("regen-coldkey", "--name", "dev", "--mnemonic-env", "TEST_DEV_PHRASE");
        Assert.Equal(0, code);
        // the dev phrase without a derivation path: the address Substrate's `subkey inspect` reports for it
        Assert.Equal("5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV", output.Split(' ')[1]);
        var (hotCode, hotOutput, _) = Run("regen-hotkey", "--name", "dev", "--hotkey", "miner", "--mnemonic-env", "TEST_DEV_PHRASE");
        Assert.Equal(0, hotCode);
        Assert.Contains("hotkey miner 5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV regenerated", hotOutput);
    }

    [Fact]
    public void Regenerating_from_a_hex_seed_gives_the_key_of_that_seed_and_stores_no_phrase()
    {
        // sp-core's and RFC 8032's test seed; as an sr25519 mini secret its public key is 44a996be…
        Environment.SetEnvironmentVariable("TEST_SEED", "0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var expected = Bittensor.Identity.Ss58.Encode(Convert.FromHexString("44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"));
        var (code, output, _) = Run("regen-coldkey", "--name", "seeded", "--seed-env", "TEST_SEED");
        Assert.Equal(0, code);
        Assert.Equal($"coldkey {expected} regenerated", output.Trim());
        var keyfile = File.ReadAllText(Path.Combine(_root, "seeded", "coldkey"));
        Assert.Contains("\"secretSeed\": \"0x9d61b19d", keyfile.Replace("\":\"", "\": \""));
        Assert.DoesNotContain("secretPhrase", keyfile);
        var (hotCode, hotOutput, _) = Run("regen-hotkey", "--name", "seeded", "--hotkey", "h", "--seed-env", "TEST_SEED");
        Assert.Equal(0, hotCode);
        Assert.Contains($"hotkey h {expected} regenerated", hotOutput);
        Assert.Equal(expected, Bittensor.Identity.Ss58.Encode(new Bittensor.Identity.Wallet(_root, "seeded").LoadColdkey(null).PublicKey));
    }

    [Fact]
    public void A_regeneration_needs_exactly_one_well_formed_secret_and_writes_nothing_otherwise()
    {
        Environment.SetEnvironmentVariable("TEST_SEED_SHORT", "0x1234");
        Environment.SetEnvironmentVariable("TEST_SEED_NO_PREFIX", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        Environment.SetEnvironmentVariable("TEST_DEV_PHRASE", Bittensor.Identity.Mnemonic.DevPhrase);
        var (shortCode, _, shortError) = Run("regen-coldkey", "--name", "z", "--seed-env", "TEST_SEED_SHORT");
        Assert.Equal(1, shortCode);
        Assert.Contains("64 hex digits (32 bytes); this one has 4 characters after 0x", shortError);
        Assert.Contains("must start with 0x", Run("regen-coldkey", "--name", "z", "--seed-env", "TEST_SEED_NO_PREFIX").Error);
        Assert.Contains("holds a hex seed, not a mnemonic", Run("regen-hotkey", "--name", "z", "--hotkey", "h", "--mnemonic-env", "TEST_SEED_SHORT").Error);
        Assert.Contains("needs one of --mnemonic-env VAR and --seed-env VAR", Run("regen-coldkey", "--name", "z").Error);
        Assert.Contains("needs one of", Run("regen-coldkey", "--name", "z", "--mnemonic-env", "TEST_DEV_PHRASE", "--seed-env", "TEST_SEED_SHORT").Error);
        Assert.False(Directory.Exists(Path.Combine(_root, "z")), "no file was written");
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Contains("needs --name", Run("create").Error);
        Assert.Contains("--words is 12, 15", Run("create", "--name", "x", "--words", "13").Error);
        Assert.Contains("which is not set", Run("create", "--name", "x", "--password-env", "NO_SUCH_VARIABLE_HERE").Error);
        Environment.SetEnvironmentVariable("TEST_BAD_PHRASE", "abandon abandon abandon");
        var (code, _, error) = Run("regen-coldkey", "--name", "y", "--mnemonic-env", "TEST_BAD_PHRASE");
        Assert.Equal(1, code);
        Assert.Contains("has 3", error);
        Assert.False(Directory.Exists(Path.Combine(_root, "y")), "no file was written");
        Assert.Contains("unknown wallet command", Run("frobnicate").Error);
    }
}
