using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// An Avro schema as the Connect schema Confluent's AvroData reads from it (<c>toConnectSchema</c>): records become
/// structs named by their full name, unions with null optional schemas, other unions structs named
/// <c>io.confluent.connect.avro.Union</c> with a field per member, enums strings carrying their symbols in parameters,
/// fixed bytes carrying their size, logical types Connect's, and <c>connect.*</c> properties restore what the Avro
/// type cannot say. Recursive Avro schemas cannot be expressed in Connect's immutable schemas and are refused.
/// </summary>
internal sealed class AvroToConnectSchema(AvroDataConfig config)
{
    private readonly HashSet<AvroType> _inProgress = new(ReferenceEqualityComparer.Instance);
    private int _unionIndex;

    /// <summary>The top-level schema; <paramref name="version"/> is the registry's, used when no connect.version says otherwise.</summary>
    public Schema Convert(AvroType schema, int? version) => Convert(schema, false, false, null, null, version);

    private Schema Convert(AvroType schema, bool forceOptional, bool hasFieldDefault, JsonNode? fieldDefault, string? docDefault, int? version)
    {
        if (schema is AvroRecord && !_inProgress.Add(schema))
        {
            throw new DataException("Recursive Avro schemas are not supported by Connect schemas: " + schema.FullName);
        }

        try
        {
            return ConvertOnce(schema, forceOptional, hasFieldDefault, fieldDefault, docDefault, version);
        }
        finally
        {
            _inProgress.Remove(schema);
        }
    }

    private Schema ConvertOnce(AvroType schema, bool forceOptional, bool hasFieldDefault, JsonNode? fieldDefault, string? docDefault, int? version)
    {
        var connectType = schema.Props.GetString(ConnectTypeProp);
        var logicalType = schema.LogicalType;
        ConnectSchemaDraft draft;
        switch (schema)
        {
            case AvroUnion union:
                if (Union(union, docDefault) is { } simplified)
                {
                    return simplified;
                }

                draft = UnionStruct(union);
                break;
            case AvroRecord record:
                draft = Record(record);
                break;
            case AvroEnum enumeration:
                draft = Enum(enumeration);
                break;
            case AvroArray array:
                draft = Array(array);
                break;
            case AvroMap map:
                draft = new ConnectSchemaDraft(SchemaType.Map) { KeySchema = Api.Data.Schema.String, ValueSchema = Convert(map.Values, false, false, null, null, null) };
                break;
            default:
                draft = Primitive(schema, connectType, logicalType);
                break;
        }

        AddDoc(draft, schema, docDefault);
        AddVersion(draft, schema, version);
        AddParameters(draft, schema);
        var defaultJson = fieldDefault;
        var hasDefault = hasFieldDefault;
        var connectDefault = schema.Props.Get(ConnectDefaultValueProp);
        if (!hasDefault)
        {
            hasDefault = schema.Props.Contains(ConnectDefaultValueProp);
            defaultJson = connectDefault;
        }
        else if (!config.DiscardTypeDocDefault && config.ConnectMetaData && !schema.Props.Contains(ConnectDefaultValueProp))
        {
            draft.Parameter(AvroFieldDefaultFlagProp, "true");
        }

        AddName(draft, schema);
        if (forceOptional)
        {
            draft.Optional = true;
        }

        object? defaultValue = null;
        if (hasDefault && defaultJson is not null)
        {
            try
            {
                defaultValue = AvroDefaultToConnect.Convert(draft.Build(), schema, defaultJson, config);
            }
            catch (Exception e) when (e is DataException or InvalidOperationException or FormatException or JsonException)
            {
                // Confluent ignores a default it cannot read, with a warning.
            }
        }

        return draft.Build(defaultValue);
    }

    private Schema? Union(AvroUnion union, string? docDefault)
    {
        if (union.Types.Count == 1 && config.FlattenSingletonUnions)
        {
            return Convert(union.Types[0], false, false, null, docDefault, null);
        }

        if (union.Types.Count == 2 && union.Types.Any(t => t.Kind == AvroKind.Null) && union.Types.Any(t => t.Kind != AvroKind.Null))
        {
            // [null, T] or [T, null]: an optional T. The field's default is dropped: T's connect.default carries Connect's.
            return Convert(union.Types.First(t => t.Kind != AvroKind.Null), true, false, null, docDefault, null);
        }

        return null;
    }

    private ConnectSchemaDraft UnionStruct(AvroUnion union)
    {
        var unionName = config.GeneralizedSumTypeSupport ? GeneralizedTypeUnionPrefix + _unionIndex++.ToString(CultureInfo.InvariantCulture) : AvroTypeUnion;
        var draft = new ConnectSchemaDraft(SchemaType.Struct) { Name = unionName };
        if (config.GeneralizedSumTypeSupport)
        {
            draft.Parameter(GeneralizedTypeUnion, unionName);
        }

        for (var index = 0; index < union.Types.Count; index++)
        {
            var member = union.Types[index];
            if (member.Kind == AvroKind.Null)
            {
                draft.Optional = true;
                continue;
            }

            var fieldName = UnionMembers.FieldName(member, index, config);
            if (draft.HasField(fieldName))
            {
                throw new DataException("Multiple union schemas map to the Connect union field name");
            }

            draft.Field(fieldName, Convert(member, true, false, null, null, null));
        }

        return draft;
    }

    private ConnectSchemaDraft Record(AvroRecord record)
    {
        var draft = new ConnectSchemaDraft(SchemaType.Struct);
        if (!config.DiscardTypeDocDefault && config.ConnectMetaData && record.Doc is not null)
        {
            draft.Parameter(AvroRecordDocProp, record.Doc);
        }

        foreach (var field in record.Fields)
        {
            if (!config.DiscardTypeDocDefault && config.ConnectMetaData && field.Doc is not null)
            {
                draft.Parameter(AvroFieldDocPrefixProp + field.Name, field.Doc);
            }

            var fieldSchema = Convert(field.Type, false, field.HasDefault, field.Default, field.Doc, null);
            if (config.ConnectMetaData && field.Props.Get(ConnectParametersProp) is JsonObject fieldParameters)
            {
                fieldSchema = WithFieldParameters(fieldSchema, fieldParameters);
            }

            draft.Field(field.Name, fieldSchema);
        }

        return draft;
    }

    private ConnectSchemaDraft Enum(AvroEnum enumeration)
    {
        var draft = new ConnectSchemaDraft(SchemaType.String);
        if (config.ConnectMetaData)
        {
            if (enumeration.Doc is not null)
            {
                draft.Parameter(config.DiscardTypeDocDefault ? ConnectEnumDocProp : AvroEnumDocPrefixProp + enumeration.Name, enumeration.Doc);
            }

            if (!config.DiscardTypeDocDefault && enumeration.Default is not null)
            {
                draft.Parameter(AvroEnumDefaultPrefixProp + enumeration.Name, enumeration.Default);
            }
        }

        var paramName = config.GeneralizedSumTypeSupport ? GeneralizedTypeEnum : AvroTypeEnum;
        draft.Parameter(paramName, enumeration.FullName);
        for (var i = 0; i < enumeration.Symbols.Count; i++)
        {
            var symbol = enumeration.Symbols[i];
            draft.Parameter(paramName + "." + symbol, config.GeneralizedSumTypeSupport ? i.ToString(CultureInfo.InvariantCulture) : symbol);
        }

        return draft;
    }

    private ConnectSchemaDraft Array(AvroArray array)
    {
        if (IsMapEntry(array.Items) is { } entry)
        {
            if (entry.Fields.Count != 2 || entry.Field(KeyField) is not { } key || entry.Field(ValueField) is not { } value)
            {
                throw new DataException("Found map encoded as array of key-value pairs, but array elements do not match the expected format.");
            }

            // Confluent converts the key and value schemas afresh, as top-level schemas.
            return new ConnectSchemaDraft(SchemaType.Map)
            {
                KeySchema = new AvroToConnectSchema(config).Convert(key.Type, null),
                ValueSchema = new AvroToConnectSchema(config).Convert(value.Type, null),
            };
        }

        return new ConnectSchemaDraft(SchemaType.Array) { ValueSchema = Convert(array.Items, false, false, null, null, null) };
    }

    private static ConnectSchemaDraft Primitive(AvroType schema, string? connectType, string? logicalType)
    {
        switch (schema.Kind)
        {
            case AvroKind.Boolean:
                return new ConnectSchemaDraft(SchemaType.Boolean);
            case AvroKind.Bytes:
            case AvroKind.Fixed:
                ConnectSchemaDraft draft;
                if (string.Equals(logicalType, LogicalDecimal, StringComparison.OrdinalIgnoreCase))
                {
                    var scale = schema.Props.Get(DecimalScaleProp) is JsonValue s && s.GetValueKind() == JsonValueKind.Number ? (int)AvroDefaults.Element(s).GetDouble() : 0;
                    draft = new ConnectSchemaDraft(SchemaType.Bytes) { Name = LogicalTypes.DecimalName, Version = 1 };
                    draft.Parameter(LogicalTypes.ScaleParameter, scale.ToString(CultureInfo.InvariantCulture));
                    if (schema.Props.Contains(DecimalPrecisionProp))
                    {
                        if (schema.Props.Get(DecimalPrecisionProp) is not JsonValue p || p.GetValueKind() != JsonValueKind.Number)
                        {
                            throw new DataException("precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal");
                        }

                        var precision = (int)AvroDefaults.Element(p).GetDouble();
                        if (precision != ConnectDecimalPrecisionDefault)
                        {
                            draft.Parameter(ConnectDecimalPrecisionProp, precision.ToString(CultureInfo.InvariantCulture));
                        }
                    }
                }
                else
                {
                    draft = new ConnectSchemaDraft(SchemaType.Bytes);
                }

                if (schema is AvroFixed fixedType)
                {
                    draft.Parameter(ConnectFixedSizeProp, fixedType.Size.ToString(CultureInfo.InvariantCulture));
                }

                return draft;
            case AvroKind.Double:
                return new ConnectSchemaDraft(SchemaType.Float64);
            case AvroKind.Float:
                return new ConnectSchemaDraft(SchemaType.Float32);
            case AvroKind.Int:
                if (connectType is null && logicalType is null)
                {
                    return new ConnectSchemaDraft(SchemaType.Int32);
                }

                if (logicalType is not null)
                {
                    return string.Equals(logicalType, LogicalDate, StringComparison.OrdinalIgnoreCase)
                        ? new ConnectSchemaDraft(SchemaType.Int32) { Name = LogicalTypes.DateName, Version = 1 }
                        : string.Equals(logicalType, LogicalTimeMillis, StringComparison.OrdinalIgnoreCase)
                            ? new ConnectSchemaDraft(SchemaType.Int32) { Name = LogicalTypes.TimeName, Version = 1 }
                            : new ConnectSchemaDraft(SchemaType.Int32);
                }

                return connectType switch
                {
                    ConnectTypeInt8 => new ConnectSchemaDraft(SchemaType.Int8),
                    ConnectTypeInt16 => new ConnectSchemaDraft(SchemaType.Int16),
                    _ => throw new DataException("Connect type annotation for Avro int field is null"),
                };
            case AvroKind.Long:
                return string.Equals(logicalType, LogicalTimestampMillis, StringComparison.OrdinalIgnoreCase)
                    ? new ConnectSchemaDraft(SchemaType.Int64) { Name = LogicalTypes.TimestampName, Version = 1 }
                    : new ConnectSchemaDraft(SchemaType.Int64);
            case AvroKind.String:
                return new ConnectSchemaDraft(SchemaType.String);
            case AvroKind.Null:
                throw new DataException("Standalone null schemas are not supported by this converter");
            default:
                throw new DataException("Couldn't translate unsupported schema type " + schema.Kind.Name() + ".");
        }
    }

    private void AddDoc(ConnectSchemaDraft draft, AvroType schema, string? docDefault)
    {
        var typeDoc = (schema as AvroNamed)?.Doc;
        if (config.DiscardTypeDocDefault)
        {
            if ((docDefault ?? typeDoc ?? schema.Props.GetString(ConnectDocProp)) is { } doc)
            {
                draft.Doc = doc;
            }

            if (config.ConnectMetaData && typeDoc is not null)
            {
                draft.Parameter(ConnectRecordDocProp, typeDoc);
            }
        }
        else if (config.ConnectMetaData && schema.Props.GetString(ConnectDocProp) is { } doc)
        {
            draft.Doc = doc;
        }
    }

    private static void AddVersion(ConnectSchemaDraft draft, AvroType schema, int? version)
    {
        // A Connect version written by a source connector comes first; the registry's version is the fallback.
        var versionInt = -1;
        if (schema.Props.Get(ConnectVersionProp) is { } versionNode)
        {
            if (versionNode.GetValueKind() != JsonValueKind.Number)
            {
                throw new DataException("Invalid Connect version found: " + versionNode.ToJsonString());
            }

            versionInt = (int)AvroDefaults.Element(versionNode).GetDouble();
        }
        else if (version is { } registryVersion)
        {
            versionInt = registryVersion;
        }

        if (versionInt < 0)
        {
            return;
        }

        if (draft.Version is { } existing && existing != versionInt)
        {
            throw new DataException($"Mismatched versions: version already added to SchemaBuilder ({existing}) differs from version in source schema ({versionInt})");
        }

        draft.Version = versionInt;
    }

    private void AddParameters(ConnectSchemaDraft draft, AvroType schema)
    {
        if (config.ConnectMetaData && schema.Props.Contains(ConnectParametersProp))
        {
            if (schema.Props.Get(ConnectParametersProp) is not JsonObject parameters)
            {
                throw new DataException("Expected JSON object for schema parameters but found: " + schema.Props.Get(ConnectParametersProp)?.ToJsonString());
            }

            foreach (var (name, value) in parameters)
            {
                if (value is not JsonValue text || !text.TryGetValue<string>(out var s))
                {
                    throw new DataException("Expected schema parameter values to be strings but found: " + (value?.ToJsonString() ?? "null"));
                }

                draft.Parameter(name, s);
            }
        }

        foreach (var (name, value) in schema.Props.Entries)
        {
            if (name.StartsWith(AvroProp, StringComparison.Ordinal))
            {
                draft.Parameter(name, value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "null");
            }
        }
    }

    private static void AddName(ConnectSchemaDraft draft, AvroType schema)
    {
        string? name = null;
        if (schema.Props.Get(ConnectNameProp) is { } nameNode)
        {
            name = nameNode is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new DataException("Invalid schema name: " + nameNode.ToJsonString());
        }
        else if (schema is AvroRecord or AvroEnum || (schema is AvroFixed && draft.Name != LogicalTypes.DecimalName))
        {
            name = schema.FullName;
        }

        if (name is null || name.StartsWith(DefaultSchemaFullName, StringComparison.Ordinal))
        {
            return;
        }

        if (draft.Name is not null && draft.Name != name)
        {
            throw new DataException($"Mismatched names: name already added to SchemaBuilder ({draft.Name}) differs from name in source schema ({name})");
        }

        draft.Name = name;
    }

    private static AvroRecord? IsMapEntry(AvroType items) =>
        items is AvroRecord record &&
        ((record.Namespace == Namespace && record.Name == MapEntryTypeName) || record.Props.GetString(ConnectInternalTypeName) == MapEntryTypeName)
            ? record
            : null;

    /// <summary>Confluent's <c>applyFieldLevelParams</c>: a field's own connect.parameters over its (shared, named) type's.</summary>
    private static Schema WithFieldParameters(Schema original, JsonObject fieldParameters)
    {
        var originalParameters = original.Parameters ?? new Dictionary<string, string>();
        var values = fieldParameters.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "null");
        if (values.All(p => originalParameters.TryGetValue(p.Key, out var existing) && existing == p.Value))
        {
            return original;
        }

        SchemaBuilder Builder()
        {
            var builder = original.Type switch
            {
                SchemaType.Array => SchemaBuilder.Array(original.ValueSchema!),
                SchemaType.Map => SchemaBuilder.Map(original.KeySchema!, original.ValueSchema!),
                _ => new SchemaBuilder(original.Type),
            };
            builder.WithName(original.Name).WithVersion(original.Version).WithDoc(original.Doc);
            if (original.IsOptional)
            {
                builder.Optional();
            }

            builder.Parameters(originalParameters).Parameters(values);
            foreach (var field in original.Fields)
            {
                builder.Field(field.Name, field.Schema);
            }

            return builder;
        }

        try
        {
            return Builder().DefaultValue(original.DefaultValue).Build();
        }
        catch (DataException)
        {
            return Builder().Build();
        }
    }
}
