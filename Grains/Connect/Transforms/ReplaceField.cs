using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Drops, keeps or renames top-level fields of the key or value (Kafka's <c>ReplaceField</c>): <c>exclude</c> wins
/// over <c>include</c>, and <c>renames</c> maps old to new names. The deprecated <c>blacklist</c> and
/// <c>whitelist</c> still work when the new names are not set. Null keys or values pass through; schemas are cached.
/// </summary>
public abstract class ReplaceField<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public const string ExcludeConfig = "exclude";
    public const string IncludeConfig = "include";
    public const string RenamesConfig = "renames";
    public const string ReplaceNullWithDefaultConfig = "replace.null.with.default";
    private const string BlacklistConfig = "blacklist";
    private const string WhitelistConfig = "whitelist";
    private const string Purpose = "field replacement";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(ExcludeConfig, ConfigType.List, Importance.Medium, "Fields to exclude. This takes precedence over the fields to include.", "")
        .Define(BlacklistConfig, ConfigType.List, Importance.Low, "Deprecated. Use " + ExcludeConfig + " instead.")
        .Define(IncludeConfig, ConfigType.List, Importance.Medium, "Fields to include. If specified, only these fields will be used.", "")
        .Define(WhitelistConfig, ConfigType.List, Importance.Low, "Deprecated. Use " + IncludeConfig + " instead.")
        .Define(RenamesConfig, ConfigType.List, Importance.Medium, "Field rename mappings.", "",
            validator: Validators.From(
                (_, value) => ParseRenameMappings((IReadOnlyList<string>?)value ?? []),
                "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>"))
        .Define(ReplaceNullWithDefaultConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            true);

    private readonly RecordPart _part;
    private readonly SchemaCache _schemaUpdateCache = new();
    private HashSet<string> _exclude = [];
    private HashSet<string> _include = [];
    private Dictionary<string, string> _renames = [];
    private Dictionary<string, string> _reverseRenames = [];
    private bool _replaceNullWithDefault = true;

    protected ReplaceField(RecordPart part) => _part = part;

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var config = Definition.Parse(TranslateDeprecated(configs));
        _exclude = new HashSet<string>(config.GetList(ExcludeConfig), StringComparer.Ordinal);
        _include = new HashSet<string>(config.GetList(IncludeConfig), StringComparer.Ordinal);
        _renames = ParseRenameMappings(config.GetList(RenamesConfig));
        _reverseRenames = _renames.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        _replaceNullWithDefault = config.GetBoolean(ReplaceNullWithDefaultConfig);
    }

    public TRecord? Apply(TRecord record)
    {
        var value = _part.ValueOf(record);
        if (value is null)
        {
            return record;
        }

        var schema = _part.SchemaOf(record);
        if (schema is null)
        {
            var map = SchemalessMaps.Copy(Requirements.RequireMap(value, Purpose));
            var updated = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
            foreach (var (name, fieldValue) in map)
            {
                if (Keeps(name))
                {
                    updated[Renamed(name)] = fieldValue;
                }
            }

            return _part.With(record, null, updated);
        }

        var structValue = Requirements.RequireStruct(value, Purpose);
        var updatedSchema = _schemaUpdateCache.GetOrAdd(structValue.Schema, BuildSchema);
        var updatedValue = new Struct(updatedSchema);
        foreach (var field in updatedSchema.Fields)
        {
            var originalName = _reverseRenames.GetValueOrDefault(field.Name, field.Name);
            updatedValue.Put(field, _replaceNullWithDefault ? structValue.Get(originalName) : structValue.GetWithoutDefault(originalName));
        }

        return _part.With(record, updatedSchema, updatedValue);
    }

    private Schema BuildSchema(Schema schema)
    {
        var builder = SchemaUtil.CopySchemaBasics(schema, SchemaBuilder.Struct());
        foreach (var field in schema.Fields.Where(f => Keeps(f.Name)))
        {
            builder.Field(Renamed(field.Name), field.Schema);
        }

        return builder.Build();
    }

    private bool Keeps(string fieldName) => !_exclude.Contains(fieldName) && (_include.Count == 0 || _include.Contains(fieldName));

    private string Renamed(string fieldName) => _renames.GetValueOrDefault(fieldName, fieldName);

    private static Dictionary<string, string> ParseRenameMappings(IReadOnlyList<string> mappings)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mapping in mappings)
        {
            var parts = JavaText.Split(mapping, ':');
            if (parts.Length != 2)
            {
                throw new ConfigException(RenamesConfig, string.Join(",", mappings), "Invalid rename mapping: " + mapping);
            }

            renames[parts[0]] = parts[1];
        }

        return renames;
    }

    /// <summary>Uses <c>blacklist</c>/<c>whitelist</c> as <c>exclude</c>/<c>include</c> when only the deprecated name is set (Kafka's <c>translateDeprecatedConfigs</c>).</summary>
    private static Dictionary<string, string> TranslateDeprecated(IReadOnlyDictionary<string, string> configs)
    {
        var translated = new Dictionary<string, string>(configs, StringComparer.Ordinal);
        foreach (var (current, deprecated) in (ReadOnlySpan<(string, string)>)[(IncludeConfig, WhitelistConfig), (ExcludeConfig, BlacklistConfig)])
        {
            if (translated.Remove(deprecated, out var value) && !translated.ContainsKey(current))
            {
                translated[current] = value;
            }
        }

        return translated;
    }
}

/// <summary>Filters or renames fields of the record key (Kafka's <c>ReplaceField$Key</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.ReplaceField$Key")]
public sealed class ReplaceFieldKey<TRecord>() : ReplaceField<TRecord>(RecordPart.Key)
    where TRecord : ConnectRecord<TRecord>;

/// <summary>Filters or renames fields of the record value (Kafka's <c>ReplaceField$Value</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.ReplaceField$Value")]
public sealed class ReplaceFieldValue<TRecord>() : ReplaceField<TRecord>(RecordPart.Value)
    where TRecord : ConnectRecord<TRecord>;
