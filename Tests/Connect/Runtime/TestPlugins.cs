using Tributary.Grains.Connect.Converters.Storage;
using Tributary.Grains.Connect.File;
using Tributary.Grains.Connect.Runtime.Plugins;

namespace Tributary.Tests.Connect.Runtime;

/// <summary>The plug-in registry the tests share: the FileStream connectors, the converters and this assembly's test transforms.</summary>
internal static class TestPlugins
{
    public static PluginRegistry Registry { get; } = new(
    [
        typeof(FileStreamSourceConnector).Assembly,
        typeof(StringConverter).Assembly,
        typeof(TestPlugins).Assembly,
    ]);
}
