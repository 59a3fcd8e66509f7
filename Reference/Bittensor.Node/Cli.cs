using Bittensor.Spec.Yuma;

namespace Bittensor.Node;

/// <summary>The node's command line. Commands write to <c>output</c>, problems to <c>error</c>; the exit
/// code is 0 on success and <see cref="UsageError"/> for a command line it does not understand.</summary>
public static class Cli
{
    public const int UsageError = 2;

    public const string Usage =
        """
        usage: bittensor-node <command>

        commands:
          localnet [--epochs N] [--quick] ...
                                  the main job: the embedded chain, a subnet, two validators and six miners (four
                                  TorchSharp language models, a noise miner, a copier) over the axon/dendrite protocol;
                                  prints progress, the final metagraph and three checks, and plots incentive per epoch
          models bench [--steps N]
                                  training and inference throughput of the model presets (CPU, and CUDA if present)
          simulate [--epochs N]   run the example subnet through the chain's state machine for N epochs (default 8)
                                  and print each epoch's incentive and dividends and the final metagraph (default command)
          epoch                   evaluate one Yuma epoch on a fixed example subnet and print the result as a table
          wallet ...              create, regenerate, list and show wallets ('wallet' alone lists the commands)
          analysis cabal [--blocks N]
                                  the whitepaper's cabal simulation (tau 0.1, temperature 10, stakes 0.51 / 0.49)
          analysis guarantees [--yuma3] [--kappa] [--seed N] [--plots DIR]
                                  the Yuma Consensus document's honest-utility results recomputed with the spec's epoch;
                                  --kappa the map over kappa and honest stake; --plots writes the worst-case honest
                                  emission curves as PNG files into DIR
          chain|subnet|stake|weights ...
                                  the embedded chain and its btcli-style commands ('chain' alone lists them)
          help                    show this text
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var command = args.Length == 0 ? "simulate" : args[0];
        switch (command)
        {
            case "simulate":
                return Simulate(args.Skip(1).ToArray(), output, error);
            case "localnet":
                return NeuronCommands.LocalNet(args[1..], output, error);
            case "models" when args.Length >= 2 && args[1] == "bench":
                return NeuronCommands.Bench(args[2..], output, error);
            case "wallet":
                return WalletCommands.Run(args[1..], output, error);
            case "chain" or "subnet" or "stake" or "weights":
                return ChainCommands.Run(command, args[1..], output, error);
            case "analysis" when args.Length >= 2 && args[1] == "cabal":
                return Cabal(args[2..], output, error);
            case "analysis" when args.Length >= 2 && args[1] == "guarantees":
                return GuaranteeCommand.Run(args[2..], output, error);
            case "epoch" when args.Length == 1 || args.Length == 0:
                output.Write(RunExampleEpoch());
                return 0;
            case "epoch":
                error.WriteLine($"bittensor-node: 'epoch' takes no arguments, got: {string.Join(' ', args.Skip(1))}");
                return UsageError;
            case "help" or "--help" or "-h":
                output.Write(Usage);
                return 0;
            default:
                error.WriteLine($"bittensor-node: unknown command '{command}'.");
                error.Write(Usage);
                return UsageError;
        }
    }

    public const int DefaultEpochs = 8;
    public const int MaxEpochs = 1000;

    private static int Simulate(string[] options, TextWriter output, TextWriter error)
    {
        var epochs = DefaultEpochs;
        if (options.Length == 2 && options[0] == "--epochs")
        {
            if (!int.TryParse(options[1], out epochs) || epochs < 1 || epochs > MaxEpochs)
            {
                error.WriteLine($"bittensor-node: --epochs takes a whole number from 1 to {MaxEpochs}, got '{options[1]}'");
                return UsageError;
            }
        }
        else if (options.Length != 0)
        {
            error.WriteLine($"bittensor-node: 'simulate' takes only --epochs N, got: {string.Join(' ', options)}");
            return UsageError;
        }
        var (final, outputs) = Bittensor.Spec.Subnet.Examples.run(epochs);
        output.Write(SimulationReport.Render(final, outputs));
        return 0;
    }

    private static int Cabal(string[] options, TextWriter output, TextWriter error)
    {
        var blocks = 100;
        if (options.Length == 2 && options[0] == "--blocks")
        {
            if (!int.TryParse(options[1], out blocks) || blocks < 1 || blocks > 100_000)
            {
                error.WriteLine($"bittensor-node: --blocks takes a whole number from 1 to 100000, got '{options[1]}'");
                return UsageError;
            }
        }
        else if (options.Length != 0)
        {
            error.WriteLine($"bittensor-node: 'analysis cabal' takes only --blocks N, got: {string.Join(' ', options)}");
            return UsageError;
        }
        output.WriteLine("| block | size of cabal |");
        output.WriteLine("| --- | --- |");
        foreach (var row in Bittensor.Spec.Analysis.Whitepaper.cabalSimulation(0.51, 0.49, 0.1, 10.0, blocks))
            output.WriteLine($"| {row.Item1} | {row.Item2.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} |");
        return 0;
    }

    /// <summary>Runs the spec's epoch on <c>Examples.smallSubnet</c> and renders the table.</summary>
    internal static string RunExampleEpoch()
    {
        var (hyperparameters, state, roles) = Examples.smallSubnet;
        var result = Epoch.run(hyperparameters, state);
        return EpochTable.Render(hyperparameters, state, roles, result);
    }
}
