using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// A Connect schema as the Avro schema Confluent's AvroData makes of it (<c>fromConnectSchema</c>): structs become
/// records (named by the Connect name or <c>io.confluent.connect.avro.ConnectDefault</c>), optional schemas unions with
/// null, int8/int16 ints marked by <c>connect.type</c>, logical types Avro's, maps with other than string keys arrays of
/// <c>MapEntry</c> records, and the Connect name, version, doc, parameters and default kept in <c>connect.*</c>
/// properties. Not thread-safe: one conversion at a time, which <see cref="AvroData"/> ensures by making one per call.
/// </summary>
internal sealed class ConnectToAvroSchema(AvroDataConfig config)
{
    private readonly Dictionary<Schema, AvroType> _schemaMap = [];
    private readonly Dictionary<string, AvroType> _cycleReferences = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenNamedTypes = new(StringComparer.Ordinal);
    private int _defaultNameIndex;

    public AvroType Convert(Schema schema) => Convert(schema, ignoreOptional: false);

    private AvroType Convert(Schema schema, bool ignoreOptional)
    {
        if (!ConnectSchemaKinds.IsUnion(schema) && !schema.IsOptional && _schemaMap.TryGetValue(schema, out var cached))
        {
            return cached;
        }

        string? connectType = null;
        AvroType baseSchema;
        switch (schema.Type)
        {
            case SchemaType.Int8:
                connectType = ConnectTypeInt8;
                baseSchema = new AvroPrimitive(AvroKind.Int);
                break;
            case SchemaType.Int16:
                connectType = ConnectTypeInt16;
                baseSchema = new AvroPrimitive(AvroKind.Int);
                break;
            case SchemaType.Int32:
                baseSchema = new AvroPrimitive(AvroKind.Int);
                break;
            case SchemaType.Int64:
                baseSchema = new AvroPrimitive(AvroKind.Long);
                break;
            case SchemaType.Float32:
                baseSchema = new AvroPrimitive(AvroKind.Float);
                break;
            case SchemaType.Float64:
                baseSchema = new AvroPrimitive(AvroKind.Double);
                break;
            case SchemaType.Boolean:
                baseSchema = new AvroPrimitive(AvroKind.Boolean);
                break;
            case SchemaType.String:
                baseSchema = (config.GeneralizedSumTypeSupport || config.EnhancedAvroSchemaSupport) && ConnectSchemaKinds.IsEnum(schema)
                    ? Enum(schema)
                    : new AvroPrimitive(AvroKind.String);
                break;
            case SchemaType.Bytes:
                baseSchema = Bytes(schema);
                break;
            case SchemaType.Array:
                baseSchema = new AvroArray(ConvertWithCycle(schema.ValueSchema!, ignoreOptional: false));
                break;
            case SchemaType.Map:
                baseSchema = Map(schema);
                break;
            default:
                baseSchema = Struct(schema);
                break;
        }

        var finalSchema = baseSchema;
        if (baseSchema is not AvroUnion)
        {
            if (config.ConnectMetaData)
            {
                AddMetadata(schema, baseSchema, connectType);
            }

            AddLogicalType(schema, baseSchema);
            foreach (var (name, value) in schema.Parameters ?? new Dictionary<string, string>())
            {
                if (name.StartsWith(AvroProp, StringComparison.Ordinal))
                {
                    baseSchema.Props.Add(name, value);
                }
            }

            if (!ignoreOptional)
            {
                finalSchema = MaybeMakeOptional(schema, baseSchema);
            }
        }

        if (!schema.IsOptional)
        {
            _schemaMap[schema] = finalSchema;
        }

        return finalSchema;
    }

    private AvroType ConvertWithCycle(Schema schema, bool ignoreOptional)
    {
        if (schema.Name is not null && _cycleReferences.TryGetValue(schema.Name, out var resolved))
        {
            return ignoreOptional ? resolved : MaybeMakeOptional(schema, resolved);
        }

        return Convert(schema, ignoreOptional);
    }

    private AvroEnum Enum(Schema schema)
    {
        var parameters = schema.Parameters!;
        var paramName = config.GeneralizedSumTypeSupport ? GeneralizedTypeEnum : AvroTypeEnum;
        var symbols = parameters.Keys.Where(k => k.StartsWith(paramName + ".", StringComparison.Ordinal)).Select(k => k[(paramName.Length + 1)..]).ToList();
        var (_, name) = NameOrDefault(schema.Name);
        var enumName = parameters.GetValueOrDefault(paramName) ?? name!;
        var (space, simple) = AvroNamed.Split(enumName, null);
        return config.DiscardTypeDocDefault
            ? new AvroEnum(simple, space, parameters.GetValueOrDefault(ConnectEnumDocProp), symbols, null)
            : new AvroEnum(simple, space, parameters.GetValueOrDefault(AvroEnumDocPrefixProp + name), symbols, parameters.GetValueOrDefault(AvroEnumDefaultPrefixProp + name));
    }

    private AvroType Bytes(Schema schema)
    {
        AvroType result;
        if (ConnectSchemaKinds.IsFixed(schema))
        {
            var (space, name) = NameOrDefault(schema.Name);
            result = new AvroFixed(name!, space, null, int.Parse(schema.Parameters![ConnectFixedSizeProp], CultureInfo.InvariantCulture));
        }
        else
        {
            result = new AvroPrimitive(AvroKind.Bytes);
        }

        if (ConnectSchemaKinds.IsDecimal(schema))
        {
            result.Props.Add(DecimalScaleProp, JsonValue.Create(LogicalTypes.Scale(schema)));
            result.Props.Add(DecimalPrecisionProp, JsonValue.Create(Precision(schema)));
        }

        return result;
    }

    private AvroType Map(Schema schema)
    {
        // Avro maps have string keys only; any other key makes the map an array of key-value records.
        if (schema.KeySchema!.Type == SchemaType.String && (!schema.KeySchema.IsOptional || config.AllowOptionalMapKeys))
        {
            return new AvroMap(ConvertWithCycle(schema.ValueSchema!, ignoreOptional: false));
        }

        AvroRecord entry;
        if (schema.Name is null)
        {
            entry = new AvroRecord(MapEntryTypeName, Namespace, null);
        }
        else
        {
            var (space, name) = NameOrDefault(schema.Name);
            entry = new AvroRecord(name!, space, null);
            entry.Props.Add(ConnectInternalTypeName, MapEntryTypeName);
        }

        entry.Fields = [Field(KeyField, schema.KeySchema, null), Field(ValueField, schema.ValueSchema!, null)];
        return new AvroArray(entry);
    }

    private AvroType Struct(Schema schema)
    {
        if (ConnectSchemaKinds.IsUnion(schema))
        {
            var members = new List<AvroType>();
            if (schema.IsOptional)
            {
                members.Add(new AvroPrimitive(AvroKind.Null));
            }

            members.AddRange(schema.Fields.Select(f => ConvertWithCycle(ConnectSchemaKinds.NonOptional(f.Schema), ignoreOptional: true)));
            return new AvroUnion(members);
        }

        if (schema.IsOptional)
        {
            return new AvroUnion([new AvroPrimitive(AvroKind.Null), ConvertWithCycle(ConnectSchemaKinds.NonOptional(schema), ignoreOptional: false)]);
        }

        var (space, name) = NameOrDefault(schema.Name);
        var doc = ConnectSchemaKinds.Parameter(schema, config.DiscardTypeDocDefault ? ConnectRecordDocProp : AvroRecordDocProp);
        var record = new AvroRecord(name!, space, doc);
        if (schema.Name is not null)
        {
            _cycleReferences[schema.Name] = record;
        }

        record.Fields = [.. schema.Fields.Select(field => Field(
            AvroNames.Scrub(field.Name, config.ScrubInvalidNames)!,
            field.Schema,
            config.DiscardTypeDocDefault ? null : ConnectSchemaKinds.Parameter(schema, AvroFieldDocPrefixProp + field.Name)))];
        return record;
    }

    private AvroField Field(string fieldName, Schema fieldSchema, string? fieldDoc)
    {
        var hasDefault = false;
        JsonNode? defaultValue = null;
        if (fieldSchema.DefaultValue is not null)
        {
            hasDefault = true;
            defaultValue = ConnectDefaults.ToJson(fieldSchema, fieldSchema.DefaultValue, config);
        }
        else if (fieldSchema.IsOptional)
        {
            hasDefault = true;
        }

        var scrubbedName = AvroNames.ScrubFullName(fieldSchema.Name, config.ScrubInvalidNames);
        var alreadySeen = scrubbedName is not null && !_seenNamedTypes.Add(scrubbedName);
        var type = Convert(fieldSchema, ignoreOptional: false);

        // Java's Avro refuses a default that does not fit the field's type; AvroData then makes the field without one.
        if (hasDefault && !AvroDefaults.IsValid(type, defaultValue))
        {
            hasDefault = false;
            defaultValue = null;
        }

        var field = new AvroField(fieldName, type, config.DiscardTypeDocDefault ? fieldSchema.Doc : fieldDoc, hasDefault, defaultValue);

        // A named type written a second time is only a reference, so parameters that differ per use ride on the field.
        if (config.ConnectMetaData && alreadySeen && fieldSchema.Parameters is { Count: > 0 } && IsNamed(type) &&
            Parameters(fieldSchema.Parameters) is { Count: > 0 } fieldParams)
        {
            field.Props.Add(ConnectParametersProp, fieldParams);
        }

        return field;
    }

    private void AddMetadata(Schema schema, AvroType baseSchema, string? connectType)
    {
        if (schema.Doc is not null)
        {
            baseSchema.Props.Add(ConnectDocProp, schema.Doc);
        }

        if (schema.Version is { } version)
        {
            baseSchema.Props.Add(ConnectVersionProp, JsonValue.Create(version));
        }

        if (schema.Parameters is not null && Parameters(schema.Parameters) is { Count: > 0 } parameters)
        {
            baseSchema.Props.Add(ConnectParametersProp, parameters);
        }

        if (schema.DefaultValue is not null &&
            (config.DiscardTypeDocDefault || schema.Parameters is null || !schema.Parameters.ContainsKey(AvroFieldDefaultFlagProp)))
        {
            baseSchema.Props.Add(ConnectDefaultValueProp, ConnectDefaults.ToJson(schema, schema.DefaultValue, config));
        }

        if (schema.Name is not null)
        {
            baseSchema.Props.Add(ConnectNameProp, schema.Name);
        }

        if (connectType is not null)
        {
            baseSchema.Props.Add(ConnectTypeProp, connectType);
        }
    }

    private static void AddLogicalType(Schema schema, AvroType baseSchema)
    {
        if (schema.Name is null)
        {
            return;
        }

        // Confluent writes the logical type both Avro's way and as its older plain property; either way the
        // property is there, also for a decimal whose scale Avro's own decimal type would refuse.
        if (ConnectSchemaKinds.IsDecimal(schema))
        {
            baseSchema.Props.Add(AvroType.LogicalTypeProp, LogicalDecimal);
        }
        else if (string.Equals(schema.Name, LogicalTypes.TimeName, StringComparison.OrdinalIgnoreCase))
        {
            baseSchema.Props.Add(AvroType.LogicalTypeProp, LogicalTimeMillis);
        }
        else if (string.Equals(schema.Name, LogicalTypes.TimestampName, StringComparison.OrdinalIgnoreCase))
        {
            baseSchema.Props.Add(AvroType.LogicalTypeProp, LogicalTimestampMillis);
        }
        else if (string.Equals(schema.Name, LogicalTypes.DateName, StringComparison.OrdinalIgnoreCase))
        {
            baseSchema.Props.Add(AvroType.LogicalTypeProp, LogicalDate);
        }
    }

    private static AvroType MaybeMakeOptional(Schema schema, AvroType baseSchema) =>
        !schema.IsOptional ? baseSchema :
        schema.DefaultValue is not null ? new AvroUnion([baseSchema, new AvroPrimitive(AvroKind.Null)]) :
        new AvroUnion([new AvroPrimitive(AvroKind.Null), baseSchema]);

    private JsonObject Parameters(IReadOnlyDictionary<string, string> parameters)
    {
        var result = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            if (config.DiscardTypeDocDefault || name != AvroFieldDefaultFlagProp)
            {
                result[name] = value;
            }
        }

        return result;
    }

    private (string? Space, string? Name) NameOrDefault(string? name)
    {
        if (name is not null)
        {
            return AvroNames.Split(name, config.ScrubInvalidNames);
        }

        var index = ++_defaultNameIndex;
        return (Namespace, DefaultSchemaName + (index > 1 ? index.ToString(CultureInfo.InvariantCulture) : ""));
    }

    private static int Precision(Schema schema) =>
        ConnectSchemaKinds.Parameter(schema, ConnectDecimalPrecisionProp) is { } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : ConnectDecimalPrecisionDefault;

    private static bool IsNamed(AvroType type) =>
        type is AvroNamed || (type is AvroUnion union && union.Types.Any(t => t is AvroNamed));
}
