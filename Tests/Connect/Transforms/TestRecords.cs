using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Tests.Connect.Transforms;

/// <summary>Builders for the records and configurations the transform tests feed in.</summary>
internal static class TestRecords
{
    public static SourceRecord Value(Schema? schema, object? value, string topic = "topic", long? timestamp = null) =>
        new(null, null, topic, 0, null, null, schema, value, timestamp);

    public static SourceRecord Key(Schema? schema, object? key, string topic = "topic") =>
        new(null, null, topic, 0, schema, key, null, null);

    public static SinkRecord Sink(Schema? valueSchema, object? value, long offset = 42, long? timestamp = null) =>
        new("test", 0, null, null, valueSchema, value, offset, timestamp, TimestampType.CreateTime);

    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    public static Dictionary<string, string> Config(params (string Key, string Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    public static T Configured<T>(this T transform, params (string Key, string Value)[] entries)
        where T : class
    {
        switch (transform)
        {
            case Grains.Connect.Api.Transforms.ITransformation<SourceRecord> t:
                t.Configure(Config(entries));
                break;
            case Grains.Connect.Api.Transforms.ITransformation<SinkRecord> t:
                t.Configure(Config(entries));
                break;
            case Grains.Connect.Api.Transforms.IPredicate<SourceRecord> p:
                p.Configure(Config(entries));
                break;
            case Grains.Connect.Api.Transforms.IPredicate<SinkRecord> p:
                p.Configure(Config(entries));
                break;
            default:
                throw new ArgumentException("Not a transform or predicate: " + transform.GetType());
        }

        return transform;
    }

    public static IDictionary<string, object?> AsMap(object? value) =>
        Assert.IsAssignableFrom<IDictionary<string, object?>>(value);

    public static ConnectHeader Header(ConnectRecord<SourceRecord> record, string key) =>
        record.Headers.LastWithName(key) ?? throw new Xunit.Sdk.XunitException("No header " + key);
}
