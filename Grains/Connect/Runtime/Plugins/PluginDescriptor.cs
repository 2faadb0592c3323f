namespace Tributary.Grains.Connect.Runtime.Plugins;

/// <summary>
/// One plug-in the registry found: its kind, its C# type (an open generic type for transforms and predicates, closed
/// over the record kind when created), the class name it is listed by (the Java name it stands for, else its C# name)
/// and its version.
/// </summary>
public sealed record PluginDescriptor(PluginKind Kind, Type Type, string ClassName, string Version)
{
    /// <summary>Every name a configuration may use for it: listed name, other Java names, C# full name.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
}
