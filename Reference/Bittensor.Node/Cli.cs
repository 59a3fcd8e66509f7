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
          epoch    evaluate one Yuma epoch on the built-in example subnet and print the result as a table (default)
          help     show this text
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var command = args.Length == 0 ? "epoch" : args[0];
        switch (command)
        {
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

    /// <summary>Runs the spec's epoch on <c>Examples.smallSubnet</c> and renders the table.</summary>
    internal static string RunExampleEpoch()
    {
        var (hyperparameters, state, roles) = Examples.smallSubnet;
        var result = Epoch.run(hyperparameters, state);
        return EpochTable.Render(hyperparameters, state, roles, result);
    }
}
