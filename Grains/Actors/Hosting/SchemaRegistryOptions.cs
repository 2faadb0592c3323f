namespace Tributary.Grains.Actors.Hosting;

/// <summary>Schema Registry settings, Confluent's by another name.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The HTTP port of the registry's API (<c>--registry-port</c>); 0 turns the API off. Default 8081.</summary>
    public int Port { get; set; } = 8081;

    /// <summary><c>schema.compatibility.level</c>: the global level until one is set through the API. Default BACKWARD.</summary>
    public string Compatibility { get; set; } = "BACKWARD";

    /// <summary>
    /// The most associations of subjects with topics the registry holds (about two per topic); a creation past it is
    /// refused with Confluent's 40902. Default 100,000.
    /// </summary>
    public int MaxAssociations { get; set; } = 100_000;
}
