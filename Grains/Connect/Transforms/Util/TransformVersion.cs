using System.Reflection;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>The version every transform and predicate in this assembly reports (Kafka reports its own build version).</summary>
public static class TransformVersion
{
    public static readonly string Current =
        typeof(TransformVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(TransformVersion).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
