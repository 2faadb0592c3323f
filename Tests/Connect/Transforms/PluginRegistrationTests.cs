using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms;

namespace Tributary.Tests.Connect.Transforms;

public sealed class PluginRegistrationTests
{
    private static readonly Type[] PluginTypes = typeof(Filter<>).Assembly.GetTypes()
        .Where(t => t.GetCustomAttributes(typeof(ConnectPluginAttribute), false).Length > 0)
        .ToArray();

    [Fact]
    public void Plugins_CoverEveryKafkaTransformAndPredicateName()
    {
        var names = PluginTypes.SelectMany(t => ((ConnectPluginAttribute)t.GetCustomAttributes(typeof(ConnectPluginAttribute), false)[0]).ClassNames).ToHashSet();
        string[] variants = ["Cast", "ExtractField", "Flatten", "HeaderFrom", "HoistField", "InsertField", "MaskField", "ReplaceField", "SetSchemaMetadata", "TimestampConverter"];
        string[] singles = ["DropHeaders", "Filter", "InsertHeader", "RegexRouter", "TimestampRouter", "ValueToKey"];
        var expected = variants.SelectMany(v => new[] { $"org.apache.kafka.connect.transforms.{v}$Key", $"org.apache.kafka.connect.transforms.{v}$Value" })
            .Concat(singles.Select(s => "org.apache.kafka.connect.transforms." + s))
            .Concat(new[] { "TopicNameMatches", "HasHeaderKey", "RecordIsTombstone" }.Select(p => "org.apache.kafka.connect.transforms.predicates." + p));
        Assert.Equal(expected.Order(), names.Order());
    }

    [Fact]
    public void Plugins_AreSealedOpenGenericsThatCloseOverBothRecordKinds()
    {
        foreach (var type in PluginTypes)
        {
            Assert.True(type.IsGenericTypeDefinition && type.IsSealed, type.Name);
            foreach (var recordType in new[] { typeof(SourceRecord), typeof(SinkRecord) })
            {
                var instance = Activator.CreateInstance(type.MakeGenericType(recordType))!;
                var isPlugin = instance.GetType().GetInterfaces().Any(i => i.IsGenericType &&
                    (i.GetGenericTypeDefinition() == typeof(ITransformation<>) || i.GetGenericTypeDefinition() == typeof(IPredicate<>)));
                Assert.True(isPlugin, type.Name);
                Assert.False(string.IsNullOrEmpty(((IVersioned)instance).Version));
            }
        }
    }

    [Fact]
    public void Transforms_KeepTheRecordKindsOwnParts()
    {
        var source = new SourceRecord(new Dictionary<string, object?> { ["p"] = 1 }, new Dictionary<string, object?> { ["o"] = 2 }, "t", null, "v");
        var routed = new RegexRouter<SourceRecord>().Configured(("regex", "t"), ("replacement", "u")).Apply(source)!;
        Assert.Same(source.SourcePartition, routed.SourcePartition);
        Assert.Same(source.SourceOffset, routed.SourceOffset);

        var sink = new SinkRecord("t", 3, null, null, null, "v", 77);
        var renamed = new RegexRouter<SinkRecord>().Configured(("regex", "t"), ("replacement", "u")).Apply(sink)!;
        Assert.Equal("u", renamed.Topic);
        Assert.Equal("t", renamed.OriginalTopic);
        Assert.Equal(77, renamed.KafkaOffset);
    }

    [Fact]
    public void Transforms_ExposeTheirConfigDefinitions()
    {
        ITransformation<SourceRecord> cast = new CastValue<SourceRecord>();
        Assert.Contains("spec", cast.Config.ConfigKeys.Keys);
        Assert.Contains("replace.null.with.default", cast.Config.ConfigKeys.Keys);
        Assert.Contains("field.syntax.version", new ExtractFieldKey<SourceRecord>().Config.ConfigKeys.Keys);
        Assert.Equal("yyyyMMdd", new TimestampRouter<SourceRecord>().Config.ConfigKeys["timestamp.format"].DefaultValue);
    }
}
