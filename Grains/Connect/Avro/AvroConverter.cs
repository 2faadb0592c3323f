using Confluent.SchemaRegistry;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Avro.Data;
using Tributary.Grains.Connect.Avro.Encoding;
using Tributary.Grains.Connect.Avro.Registry;
using Schema = Tributary.Grains.Connect.Api.Data.Schema;
using SubjectNameStrategy = Tributary.Grains.Connect.Avro.Registry.SubjectNameStrategy;

namespace Tributary.Grains.Connect.Avro;

/// <summary>
/// Confluent's <c>AvroConverter</c>: Connect data as Avro in Confluent's wire format (magic byte, schema id, Avro
/// binary), the schemas kept in a Confluent-compatible Schema Registry. Writing converts the Connect schema as
/// Confluent's AvroData does, registers it under the subject its strategy names (or looks it up, or takes the
/// subject's latest) and encodes the value; reading fetches the writer's schema by id, decodes, and converts back with
/// the registry's version of the schema. Data written by Confluent's own serializers reads, and theirs read ours.
/// </summary>
[ConnectPlugin("io.confluent.connect.avro.AvroConverter")]
public sealed class AvroConverter : IConverter, IVersioned
{
    private readonly ISchemaRegistryClient? _givenClient;
    private readonly TimeProvider _time;
    private State? _state;

    public AvroConverter()
        : this(null, TimeProvider.System)
    {
    }

    /// <summary>A converter on a registry client of the caller's (as Confluent's constructor for tests); the caller disposes it.</summary>
    internal AvroConverter(ISchemaRegistryClient? client, TimeProvider time)
    {
        _givenClient = client;
        _time = time;
    }

    public string Version => PluginVersion.Confluent;

    public ConfigDef Config => AvroConverterConfig.ConfigDef;

    /// <summary>Connect schemas converted to Avro so far, for tests of the cache.</summary>
    internal int CachedSchemas => Configured.Data.CachedFromConnect;

    /// <summary>Whether records of the schema id read last are decoded straight into Connect values, for tests.</summary>
    internal bool ReadsLastIdDirectly => Configured.Last?.Direct is not null;

    /// <summary>Whether values of the schema written last are encoded straight from Connect values, for tests.</summary>
    internal bool WritesLastSchemaDirectly => Configured.LastWritten?.Encoder is not null;

    private State Configured => _state ?? throw new InvalidOperationException("The AvroConverter has not been configured.");

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey)
    {
        var config = new AvroConverterConfig(configs);
        var client = _givenClient ?? new CachedSchemaRegistryClient(config.ClientConfig());
        var registry = new RegistrySchemas(client, config.NormalizeSchemas, config.LatestCacheTtlSeconds, Math.Max(config.MaxSchemasPerSubject, 1), _time);
        _state?.DisposeClient();
        _state = new State(config, isKey, registry, new AvroData(config.Data), ownsClient: _givenClient is null);
    }

    public byte[]? FromConnectData(string topic, Schema? schema, object? value)
    {
        var state = Configured;
        if (schema is null)
        {
            // Confluent writes schemaless values as its self-describing "Anything" record; only null is supported here.
            return value is null ? null : throw new DataException("The AvroConverter requires a schema for a non-null value");
        }

        // The same schema object written to the same topic as the last record has the same subject, id and Avro
        // schema; the lookups that find them hash and compare the schema's whole text, which per record costs about
        // as much as encoding a small record.
        if (!state.Config.UseLatestVersion && state.LastWritten is { } last && ReferenceEquals(last.Schema, schema) && last.Topic == topic)
        {
            if (value is not null && last.Encoder is { } encoder)
            {
                return encoder.Write(last.Id, value);
            }

            var known = state.Data.FromConnectData(schema, last.Avro.Encoding, value);
            try
            {
                return known is null ? null : AvroBinary.Write(last.Id, last.Avro, known);
            }
            catch (Exception e) when (IsRegistryOrEncodingError(e))
            {
                throw Translate(e, $"Failed to serialize Avro data from topic {topic}:");
            }
        }

        var avroSchema = state.Data.FromConnectSchema(schema);
        var avroValue = state.Data.FromConnectData(schema, avroSchema.Encoding, value);
        if (avroValue is null)
        {
            return null;
        }

        try
        {
            var subject = state.Strategy.Subject(topic, state.IsKey, avroSchema.Model);
            var config = state.Config;
            if (config.UseLatestVersion)
            {
                // The subject's latest schema is written instead of ours, so the value is converted against it.
                var (latestId, latest) = state.Registry.Latest(subject);
                return AvroBinary.Write(latestId, latest, state.Data.FromConnectData(schema, latest.Encoding, value));
            }

            var id = config.AutoRegisterSchemas ? state.Registry.Register(subject, avroSchema.Json) : state.Registry.Lookup(subject, avroSchema.Json);
            state.LastWritten = new LastWrittenSchema(topic, schema, avroSchema, id, state.Data.DirectEncoder(schema, avroSchema));
            return AvroBinary.Write(id, avroSchema, avroValue);
        }
        catch (Exception e) when (IsRegistryOrEncodingError(e))
        {
            throw Translate(e, $"Failed to serialize Avro data from topic {topic}:");
        }
    }

    public SchemaAndValue ToConnectData(string topic, byte[]? value)
    {
        if (value is null)
        {
            return SchemaAndValue.Null;
        }

        var state = Configured;
        Schema connectSchema;
        object? avroValue = null;
        DirectAvroDecoder? direct = null;
        try
        {
            var id = WireFormat.ReadSchemaId(value);
            // The schemas of the last id read, for the next record of the same topic: the lookups by subject and by
            // schema text that find them hash strings, which per record cost as much as decoding a small record.
            if (!state.Config.UseLatestVersion && state.Last is { } last && last.Id == id && last.Topic == topic)
            {
                direct = last.Direct;
                avroValue = direct is null ? AvroBinary.Read(value, last.Writer, last.Writer) : null;
                connectSchema = last.Schema;
            }
            else
            {
                var strategy = state.Strategy;
                var writer = state.Registry.ById(id, strategy.UsesSchema ? null : strategy.Subject(topic, state.IsKey, null));
                var subject = strategy.Subject(topic, state.IsKey, writer.Model);
                var version = state.Registry.Version(subject, id, writer);
                var reader = state.Config.UseLatestVersion ? state.Registry.Latest(subject).Schema : writer;
                avroValue = AvroBinary.Read(value, writer, reader);
                connectSchema = state.Data.ToConnectSchema(reader, version);
                state.Last = new LastSchema(id, topic, writer, connectSchema,
                    state.Config.UseLatestVersion ? null : state.Data.DirectDecoder(connectSchema, writer));
            }
        }
        catch (Exception e) when (e is DataException || IsRegistryOrEncodingError(e))
        {
            throw Translate(e, $"Failed to deserialize data for topic {topic} to Avro:");
        }

        return new SchemaAndValue(connectSchema, direct is null ? state.Data.ToConnectData(connectSchema, avroValue) : ReadDirectly(direct, topic, value));
    }

    /// <summary>
    /// A record decoded straight into Connect values, failing as the generic path fails: malformed Avro is translated
    /// as the decoder's errors are, and a value Connect cannot hold (a date out of range) escapes untranslated, as the
    /// generic path's conversion after its decoding does.
    /// </summary>
    private static object? ReadDirectly(DirectAvroDecoder direct, string topic, byte[] value)
    {
        try
        {
            return direct.Read(value.AsSpan(WireFormat.HeaderSize));
        }
        catch (global::Avro.AvroException e)
        {
            throw Translate(e, $"Failed to deserialize data for topic {topic} to Avro:");
        }
    }

    public void Dispose()
    {
        _state?.DisposeClient();
        _state = null;
    }

    private static bool IsRegistryOrEncodingError(Exception e) =>
        e is SchemaRegistryException or HttpRequestException or TaskCanceledException or TimeoutException or global::Avro.AvroException
            or InvalidCastException or ArgumentException or IOException;

    /// <summary>
    /// Confluent's mapping: a registry that cannot be reached or fails on its side (5xx) may come back, so the task
    /// retries; any other failure, the registry's refusals included, is the data's (Confluent's SerializationException
    /// becomes a DataException).
    /// </summary>
    private static ConnectException Translate(Exception e, string message) => e switch
    {
        SchemaRegistryException { Status: >= System.Net.HttpStatusCode.InternalServerError } => new RetriableException(message + " " + e.Message, e),
        SchemaRegistryException => new DataException(message + " " + e.Message, e),
        HttpRequestException or TaskCanceledException or TimeoutException => new RetriableException(message + " " + e.Message, e),
        _ => new DataException(message + " " + e.Message, e),
    };

    /// <summary>Everything a configuration decides, replaced whole by a new <see cref="Configure"/>.</summary>
    private sealed class State(AvroConverterConfig config, bool isKey, RegistrySchemas registry, AvroData data, bool ownsClient)
    {
        public AvroConverterConfig Config { get; } = config;

        public bool IsKey { get; } = isKey;

        public RegistrySchemas Registry { get; } = registry;

        public AvroData Data { get; } = data;

        public SubjectNameStrategy Strategy { get; } = isKey ? config.KeySubjectNameStrategy : config.ValueSubjectNameStrategy;

        /// <summary>The schemas of the last record read (replaced whole, so a reader on another thread sees one or the other).</summary>
        public LastSchema? Last { get; set; }

        /// <summary>The schemas of the last record written, replaced whole as <see cref="Last"/> is.</summary>
        public LastWrittenSchema? LastWritten { get; set; }

        public void DisposeClient()
        {
            if (ownsClient)
            {
                Registry.Client.Dispose();
            }
        }
    }
}

/// <summary>
/// A schema id read last, for a topic: its writer schema, the Connect schema of its values, and the decoder straight
/// into that schema where it has one.
/// </summary>
internal sealed record LastSchema(int Id, string Topic, ParsedAvroSchema Writer, Schema Schema, DirectAvroDecoder? Direct);

/// <summary>
/// A Connect schema written last, to a topic: its Avro schema, the id the registry gave it under the topic's subject,
/// and the encoder straight into that schema where it has one.
/// </summary>
internal sealed record LastWrittenSchema(string Topic, Schema Schema, ParsedAvroSchema Avro, int Id, DirectAvroEncoder? Encoder);
