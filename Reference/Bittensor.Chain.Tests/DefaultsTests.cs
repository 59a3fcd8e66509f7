using System.Globalization;
using System.Reflection;
using Xunit;
using SpecState = Bittensor.Spec.Subnet.State;

namespace Bittensor.Chain.Tests;

/// <summary>The chain's subnet defaults are the spec's (<c>State.defaultParameters</c>), field for field: a field added,
/// renamed or changed on one side only fails here.</summary>
public class DefaultsTests
{
    /// <summary>Every public property of <paramref name="value"/> by name, as invariant text; the epoch's
    /// hyperparameters (<c>Epoch</c>) are flattened as <c>Epoch.Name</c>.</summary>
    private static SortedDictionary<string, string> Fields(object value, string prefix = "")
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var field = property.GetValue(value)!;
            if (property.Name == "Epoch")
                foreach (var (name, text) in Fields(field, prefix + "Epoch.")) fields[name] = text;
            else fields[prefix + property.Name] = Convert.ToString(field, CultureInfo.InvariantCulture)!;
        }
        return fields;
    }

    [Fact]
    public void The_chain_creates_subnets_with_the_specs_default_parameters()
    {
        var spec = Fields(SpecState.defaultParameters);
        var chain = Fields(SubnetParameters.Defaults);
        // Era is an F# union on one side and an enum on the other: both print the case name
        Assert.Equal(spec.Keys, chain.Keys);
        Assert.True(spec.Count > 30, $"expected the whole parameter set, found {spec.Count} fields");
        foreach (var (name, expected) in spec) Assert.True(expected == chain[name], $"{name}: spec {expected}, chain {chain[name]}");
    }
}
