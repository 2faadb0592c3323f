namespace Tributary.Grains.Connect.Runtime.Plugins;

/// <summary>What a plug-in is, with the type name Connect's REST API gives it (<c>source</c>, <c>header_converter</c> ...).</summary>
public enum PluginKind
{
    Source,
    Sink,
    Converter,
    HeaderConverter,
    Transformation,
    Predicate,
}

public static class PluginKinds
{
    public static string RestName(this PluginKind kind) => kind switch
    {
        PluginKind.Source => "source",
        PluginKind.Sink => "sink",
        PluginKind.Converter => "converter",
        PluginKind.HeaderConverter => "header_converter",
        PluginKind.Transformation => "transformation",
        _ => "predicate",
    };
}
