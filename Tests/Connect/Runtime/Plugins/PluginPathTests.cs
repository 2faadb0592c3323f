using System.Runtime.Loader;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Runtime.Plugins;

namespace Tributary.Tests.Connect.Runtime.Plugins;

public sealed class PluginPathTests
{
    [Fact]
    public void APluginInPluginPath_IsLoadedInItsOwnContext_AndImplementsTheHostsApi()
    {
        using var directory = new SamplePluginDirectory();

        var registry = new PluginRegistry(PluginPath.Load([directory.Path]));

        var plugin = registry.Require("CountingSource", PluginKind.Source);
        Assert.Equal("com.example.connect.CountingSourceConnector", plugin.ClassName);
        Assert.Equal("1.2.3", plugin.Version);
        Assert.True(typeof(SourceConnector).IsAssignableFrom(plugin.Type));
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(plugin.Type.Assembly));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(SourceConnector).Assembly));
    }

    [Fact]
    public void APluginPathThatDoesNotExist_IsAnError()
    {
        var error = Assert.Throws<Tributary.Grains.Connect.Api.Config.ConfigException>(() => PluginPath.Load(["/no/such/plugins"]));
        Assert.Contains("plugin.path", error.Message);
    }
}
