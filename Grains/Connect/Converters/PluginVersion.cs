namespace Tributary.Grains.Connect.Converters;

/// <summary>The version every converter here reports: the Kafka release whose behaviour it reproduces.</summary>
internal static class PluginVersion
{
    public const string Kafka = "3.9.0";
}
