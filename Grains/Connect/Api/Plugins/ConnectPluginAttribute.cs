namespace Tributary.Grains.Connect.Api.Plugins;

/// <summary>
/// The class names a plug-in answers to besides its own C# name: the Java class names of the Kafka or Confluent plug-in
/// it stands for (<c>org.apache.kafka.connect.json.JsonConverter</c>, <c>org.apache.kafka.connect.transforms.Cast$Value</c>),
/// so that configurations written for Kafka's Connect run unchanged. The registry adds Kafka's short aliases.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ConnectPluginAttribute(params string[] classNames) : Attribute
{
    public IReadOnlyList<string> ClassNames { get; } = classNames;
}

/// <summary>A plug-in that reports its version (Kafka's <c>Versioned</c>), as <c>/connector-plugins</c> lists it.</summary>
public interface IVersioned
{
    string Version { get; }
}
