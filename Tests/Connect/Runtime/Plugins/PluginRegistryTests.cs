using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Converters.Storage;
using Tributary.Grains.Connect.File;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Tests.Connect.Runtime.Transforms;

namespace Tributary.Tests.Connect.Runtime.Plugins;

public sealed class PluginRegistryTests
{
    private static readonly PluginRegistry Registry = TestPlugins.Registry;

    [Theory]
    [InlineData("org.apache.kafka.connect.file.FileStreamSourceConnector")]
    [InlineData("FileStreamSourceConnector")]
    [InlineData("FileStreamSource")]
    [InlineData("Tributary.Grains.Connect.File.FileStreamSourceConnector")]
    [InlineData("  FileStreamSource  ")]
    public void Find_FileStreamSource_ByEveryNameKafkaAccepts(string name)
    {
        var plugin = Registry.Find(name, PluginKind.Source, PluginKind.Sink);

        Assert.NotNull(plugin);
        Assert.Equal(PluginKind.Source, plugin.Kind);
        Assert.Equal(typeof(FileStreamSourceConnector), plugin.Type);
        Assert.Equal("org.apache.kafka.connect.file.FileStreamSourceConnector", plugin.ClassName);
    }

    [Theory]
    [InlineData("org.apache.kafka.connect.file.FileStreamSinkConnector")]
    [InlineData("FileStreamSinkConnector")]
    [InlineData("FileStreamSink")]
    public void Find_FileStreamSink_IsASink(string name)
    {
        var plugin = Registry.Find(name);

        Assert.NotNull(plugin);
        Assert.Equal(PluginKind.Sink, plugin.Kind);
        Assert.Equal(typeof(FileStreamSinkConnector), plugin.Type);
    }

    [Fact]
    public void Find_ASourceAsASink_FindsNothing()
    {
        Assert.Null(Registry.Find("FileStreamSource", PluginKind.Sink));
        Assert.Null(Registry.Find("FileStreamSink", PluginKind.Source, PluginKind.Converter));
    }

    [Fact]
    public void Find_StringConverter_IsBothConverterAndHeaderConverter()
    {
        var converter = Registry.Find("org.apache.kafka.connect.storage.StringConverter", PluginKind.Converter);
        var header = Registry.Find("StringConverter", PluginKind.HeaderConverter);

        Assert.Equal(typeof(StringConverter), converter?.Type);
        Assert.Equal(typeof(StringConverter), header?.Type);
        Assert.Null(Registry.Find("org.apache.kafka.connect.storage.StringConverter", PluginKind.Source));
    }

    [Fact]
    public void Find_GenericTransform_BySimpleName_AndCreatesItForTheRecordKind()
    {
        var plugin = Registry.Require("AppendSuffix", PluginKind.Transformation);

        var transform = Registry.CreateFor<ITransformation<SourceRecord>, SourceRecord>(plugin);

        Assert.Equal(typeof(AppendSuffix<>), plugin.Type);
        Assert.IsType<AppendSuffix<SourceRecord>>(transform);
        Assert.Equal(PluginKind.Predicate, Registry.Require("TopicIs", PluginKind.Predicate).Kind);
    }

    [Fact]
    public void Require_UnknownClass_ThrowsConfigExceptionNamingTheKinds()
    {
        var error = Assert.Throws<ConfigException>(() => Registry.Require("com.example.Nope", PluginKind.Source, PluginKind.Sink));

        Assert.Equal("Failed to find any class that implements source or sink and which name matches com.example.Nope", error.Message);
    }

    [Fact]
    public void Create_MakesANewInstanceEachTime()
    {
        var plugin = Registry.Require("FileStreamSource", PluginKind.Source);

        var a = Registry.Create<Connector>(plugin);
        var b = Registry.Create<Connector>(plugin);

        Assert.IsType<FileStreamSourceConnector>(a);
        Assert.NotSame(a, b);
        Assert.Equal(a.Version, plugin.Version);
    }

    [Fact]
    public void Plugins_ListEachKindOnce_PerType()
    {
        Assert.Single(Registry.Plugins, p => p.Type == typeof(FileStreamSourceConnector));
        Assert.Equal(2, Registry.Plugins.Count(p => p.Type == typeof(StringConverter)));
        Assert.DoesNotContain(Registry.Plugins, p => p.Type == typeof(FileStreamSourceTask));
        Assert.Contains(Registry.Plugins, p => typeof(IConverter).IsAssignableFrom(p.Type) && p.Kind == PluginKind.Converter);
    }
}
