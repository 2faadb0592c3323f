namespace Tributary.Tests.Architecture;

/// <summary>The rooms of the house (DESIGN.md, STYLE.md), decided by an assembly's name so that new projects fall under the rules.</summary>
public enum Layer
{
    /// <summary><c>Tributary.Grains.KafkaFormats</c>: record batches, error codes, the consumer protocol. Orleans-free, depends on nothing of ours.</summary>
    SharedFormats,

    /// <summary><c>Tributary.Grains.*</c> but the interfaces and the grains: Orleans-free engines (log, groups, schema rules, later Connect and Streams).</summary>
    Engine,

    /// <summary><c>Tributary.Grains.Interfaces</c>: grain interfaces and the types that cross grain boundaries.</summary>
    Interfaces,

    /// <summary><c>Tributary.Grains.Actors</c>: the grains, thin adapters from grain calls to the engines.</summary>
    Grains,

    /// <summary><c>Tributary.Gateway.*</c>: the Kafka codec and listener, the HTTP APIs; all turned into grain calls.</summary>
    Gateway,

    /// <summary><c>Tributary.Gateway.Protocol.Generator</c>: a build-time tool that writes the codec's message classes.</summary>
    Tool,

    /// <summary><c>Tributary.Silo</c>: the executable that composes everything.</summary>
    Silo,

    /// <summary><c>Tributary.Tests.*</c>.</summary>
    Tests,
}

public static class Layers
{
    public static Layer Of(string assemblyName) => assemblyName switch
    {
        "Tributary.Grains.KafkaFormats" => Layer.SharedFormats,
        "Tributary.Grains.Interfaces" => Layer.Interfaces,
        "Tributary.Grains.Actors" => Layer.Grains,
        "Tributary.Gateway.Protocol.Generator" => Layer.Tool,
        "Tributary.Silo" => Layer.Silo,
        _ when assemblyName.StartsWith("Tributary.Grains.", StringComparison.Ordinal) => Layer.Engine,
        _ when assemblyName.StartsWith("Tributary.Gateway.", StringComparison.Ordinal) => Layer.Gateway,
        _ when assemblyName.StartsWith("Tributary.Tests.", StringComparison.Ordinal) => Layer.Tests,
        _ => throw new InvalidOperationException($"{assemblyName} is in no layer of the house: name it after its room or add the room to the rules."),
    };

    /// <summary>The layers of ours that a layer may reference; Orleans and ASP.NET are ruled separately.</summary>
    public static IReadOnlySet<Layer> MayReference(Layer layer) => layer switch
    {
        Layer.SharedFormats => new HashSet<Layer>(),
        Layer.Engine => new HashSet<Layer> { Layer.SharedFormats, Layer.Engine },
        Layer.Interfaces => new HashSet<Layer> { Layer.SharedFormats },
        Layer.Grains => new HashSet<Layer> { Layer.SharedFormats, Layer.Engine, Layer.Interfaces },
        Layer.Gateway => new HashSet<Layer> { Layer.SharedFormats, Layer.Interfaces, Layer.Gateway },
        Layer.Tool => new HashSet<Layer>(),
        Layer.Silo => new HashSet<Layer> { Layer.SharedFormats, Layer.Engine, Layer.Interfaces, Layer.Grains, Layer.Gateway },
        Layer.Tests => Enum.GetValues<Layer>().ToHashSet(),
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    /// <summary>Whether a layer's code may use Orleans (and the Orleans SDK alone, for the interfaces).</summary>
    public static bool MayUseOrleans(Layer layer) => layer is Layer.Interfaces or Layer.Grains or Layer.Gateway or Layer.Silo or Layer.Tests;
}
