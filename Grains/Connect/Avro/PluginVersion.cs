namespace Tributary.Grains.Connect.Avro;

/// <summary>The version the Avro converter reports: the Confluent Platform release whose behaviour it reproduces.</summary>
internal static class PluginVersion
{
    public const string Confluent = "8.0.0";
}
