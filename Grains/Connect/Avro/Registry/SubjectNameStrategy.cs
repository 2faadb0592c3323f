using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;

namespace Tributary.Grains.Connect.Avro.Registry;

/// <summary>
/// Confluent's subject name strategies, chosen by their Java class names (or short names): <c>TopicNameStrategy</c>
/// (<c>&lt;topic&gt;-key</c> / <c>&lt;topic&gt;-value</c>, the default), <c>RecordNameStrategy</c> (the record's full
/// name) and <c>TopicRecordNameStrategy</c> (<c>&lt;topic&gt;-&lt;record full name&gt;</c>).
/// </summary>
internal sealed class SubjectNameStrategy
{
    public const string TopicNameStrategyClass = "io.confluent.kafka.serializers.subject.TopicNameStrategy";
    public const string RecordNameStrategyClass = "io.confluent.kafka.serializers.subject.RecordNameStrategy";
    public const string TopicRecordNameStrategyClass = "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy";

    private readonly Kind _kind;
    private readonly string _className;

    private SubjectNameStrategy(Kind kind, string className)
    {
        _kind = kind;
        _className = className;
    }

    private enum Kind
    {
        Topic,
        Record,
        TopicRecord,
    }

    /// <summary>Whether the subject depends on the schema (so the schema must be known to find it).</summary>
    public bool UsesSchema => _kind != Kind.Topic;

    public static SubjectNameStrategy Parse(string configName, string className) => className switch
    {
        TopicNameStrategyClass or "TopicNameStrategy" or "Topic" => new SubjectNameStrategy(Kind.Topic, className),
        RecordNameStrategyClass or "RecordNameStrategy" or "Record" => new SubjectNameStrategy(Kind.Record, className),
        TopicRecordNameStrategyClass or "TopicRecordNameStrategy" or "TopicRecord" => new SubjectNameStrategy(Kind.TopicRecord, className),
        _ => throw new ConfigException(configName, className, "Unknown subject name strategy"),
    };

    /// <summary>The subject of a key or value of <paramref name="topic"/> with that schema; the schema may be null only for the topic strategy.</summary>
    public string Subject(string topic, bool isKey, AvroType? schema) => _kind switch
    {
        Kind.Topic => topic + (isKey ? "-key" : "-value"),
        Kind.Record => RecordName(schema, isKey),
        _ => topic + "-" + RecordName(schema, isKey),
    };

    private string RecordName(AvroType? schema, bool isKey) => schema is AvroRecord record
        ? record.FullName
        : throw new DataException(
            $"In configuration {(isKey ? AvroConverterConfig.KeySubjectNameStrategyConfig : AvroConverterConfig.ValueSubjectNameStrategyConfig)} = " +
            $"{_className}, the message {(isKey ? "key" : "value")} must only be a record schema");
}
