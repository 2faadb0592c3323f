using System.Reflection;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Converters.Json;
using Tributary.Grains.Connect.Converters.Primitives;
using Tributary.Grains.Connect.Converters.Storage;

namespace Tributary.Tests.Connect.Converters;

/// <summary>Each converter answers to the Java class name Kafka configurations use for it and reports Kafka's version.</summary>
public sealed class PluginNamesTests
{
    [Theory]
    [InlineData(typeof(JsonConverter), "org.apache.kafka.connect.json.JsonConverter")]
    [InlineData(typeof(StringConverter), "org.apache.kafka.connect.storage.StringConverter")]
    [InlineData(typeof(SimpleHeaderConverter), "org.apache.kafka.connect.storage.SimpleHeaderConverter")]
    [InlineData(typeof(ByteArrayConverter), "org.apache.kafka.connect.converters.ByteArrayConverter")]
    [InlineData(typeof(BooleanConverter), "org.apache.kafka.connect.converters.BooleanConverter")]
    [InlineData(typeof(ShortConverter), "org.apache.kafka.connect.converters.ShortConverter")]
    [InlineData(typeof(IntegerConverter), "org.apache.kafka.connect.converters.IntegerConverter")]
    [InlineData(typeof(LongConverter), "org.apache.kafka.connect.converters.LongConverter")]
    [InlineData(typeof(FloatConverter), "org.apache.kafka.connect.converters.FloatConverter")]
    [InlineData(typeof(DoubleConverter), "org.apache.kafka.connect.converters.DoubleConverter")]
    public void Plugin_CarriesItsKafkaClassNameAndVersion(Type type, string javaName)
    {
        var attribute = type.GetCustomAttribute<ConnectPluginAttribute>();
        var plugin = (IVersioned)Activator.CreateInstance(type)!;

        Assert.Equal([javaName], attribute!.ClassNames);
        Assert.Equal("3.9.0", plugin.Version);
        Assert.True(typeof(IHeaderConverter).IsAssignableFrom(type));
    }
}
