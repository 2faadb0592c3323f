using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// Which columns a table gets from records of one key and value schema (kafka-connect-jdbc's <c>FieldsMetadata</c>):
/// the key columns per <c>pk.mode</c>/<c>pk.fields</c>, then the value's other fields filtered by
/// <c>fields.whitelist</c>. <see cref="AllFields"/> is in the order a created table's columns take: the Kafka
/// coordinates, then the value's fields in their order, then the rest (key-only fields) by name.
/// </summary>
public sealed class FieldsMetadata
{
    private FieldsMetadata(IReadOnlyList<string> keyFieldNames, IReadOnlyList<string> nonKeyFieldNames, IReadOnlyList<SinkRecordField> allFields)
    {
        KeyFieldNames = keyFieldNames;
        NonKeyFieldNames = nonKeyFieldNames;
        AllFields = allFields;
    }

    public IReadOnlyList<string> KeyFieldNames { get; }

    public IReadOnlyList<string> NonKeyFieldNames { get; }

    public IReadOnlyList<SinkRecordField> AllFields { get; }

    public SinkRecordField Field(string name) => AllFields.First(f => f.Name == name);

    /// <summary>The columns for records with these schemas; <paramref name="valueSchema"/> is null for deletes.</summary>
    public static FieldsMetadata Extract(
        string tableName, PrimaryKeyMode pkMode, IReadOnlyList<string> pkFields, IReadOnlySet<string> fieldsWhitelist,
        ConnectSchema? keySchema, ConnectSchema? valueSchema)
    {
        if (valueSchema is not null && valueSchema.Type != SchemaType.Struct)
        {
            throw new ConnectException("Value schema must be of type Struct");
        }

        var fields = new Dictionary<string, SinkRecordField>(StringComparer.Ordinal);
        var keyNames = new List<string>();
        switch (pkMode)
        {
            case PrimaryKeyMode.Kafka:
                ExtractKafkaPk(tableName, pkFields, fields, keyNames);
                break;
            case PrimaryKeyMode.RecordKey:
                ExtractRecordKeyPk(tableName, pkFields, keySchema, fields, keyNames);
                break;
            case PrimaryKeyMode.RecordValue:
                ExtractRecordValuePk(tableName, pkFields, valueSchema, fields, keyNames);
                break;
        }

        var nonKeyNames = new List<string>();
        foreach (var field in valueSchema?.Fields ?? [])
        {
            if (keyNames.Contains(field.Name) || (fieldsWhitelist.Count > 0 && !fieldsWhitelist.Contains(field.Name)))
            {
                continue;
            }

            nonKeyNames.Add(field.Name);
            fields[field.Name] = new SinkRecordField(field.Name, field.Schema, IsPrimaryKey: false);
        }

        if (fields.Count == 0)
        {
            throw new ConnectException("No fields found using key and value schemas for table: " + tableName);
        }

        var ordered = JdbcSinkConfig.DefaultKafkaPkNames.Where(fields.ContainsKey)
            .Concat((valueSchema?.Fields ?? []).Select(f => f.Name).Where(fields.ContainsKey))
            .Distinct()
            .ToList();
        ordered.AddRange(fields.Keys.Except(ordered).Order(StringComparer.Ordinal));
        return new FieldsMetadata(keyNames, nonKeyNames, [.. ordered.Select(n => fields[n])]);
    }

    private static void ExtractKafkaPk(string tableName, IReadOnlyList<string> pkFields, Dictionary<string, SinkRecordField> fields, List<string> keyNames)
    {
        if (pkFields.Count == 0)
        {
            keyNames.AddRange(JdbcSinkConfig.DefaultKafkaPkNames);
        }
        else if (pkFields.Count == 3)
        {
            keyNames.AddRange(pkFields);
        }
        else
        {
            throw new ConnectException(
                $"PK mode for table '{tableName}' is KAFKA so there should either be no field names defined for defaults " +
                $"[{string.Join(", ", JdbcSinkConfig.DefaultKafkaPkNames)}] to be applicable, or exactly 3, defined fields are: " +
                $"[{string.Join(", ", pkFields)}]");
        }

        fields[keyNames[0]] = new SinkRecordField(keyNames[0], ConnectSchema.String, IsPrimaryKey: true);
        fields[keyNames[1]] = new SinkRecordField(keyNames[1], ConnectSchema.Int32, IsPrimaryKey: true);
        fields[keyNames[2]] = new SinkRecordField(keyNames[2], ConnectSchema.Int64, IsPrimaryKey: true);
    }

    private static void ExtractRecordKeyPk(
        string tableName, IReadOnlyList<string> pkFields, ConnectSchema? keySchema, Dictionary<string, SinkRecordField> fields, List<string> keyNames)
    {
        if (keySchema is null)
        {
            throw new ConnectException($"PK mode for table '{tableName}' is RECORD_KEY, but record key schema is missing");
        }

        if (keySchema.Type.IsPrimitive())
        {
            if (pkFields.Count != 1)
            {
                throw new ConnectException(
                    "Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: " +
                    $"[{string.Join(", ", pkFields)}]");
            }

            keyNames.Add(pkFields[0]);
            fields[pkFields[0]] = new SinkRecordField(pkFields[0], keySchema, IsPrimaryKey: true);
            return;
        }

        if (keySchema.Type != SchemaType.Struct)
        {
            throw new ConnectException("Key schema must be primitive type or Struct, but is of type: " + keySchema.Type.Name().ToUpperInvariant());
        }

        AddStructKeys(tableName, "RECORD_KEY", "key", pkFields, keySchema, fields, keyNames);
    }

    private static void ExtractRecordValuePk(
        string tableName, IReadOnlyList<string> pkFields, ConnectSchema? valueSchema, Dictionary<string, SinkRecordField> fields, List<string> keyNames)
    {
        if (valueSchema is null)
        {
            throw new ConnectException($"PK mode for table '{tableName}' is RECORD_VALUE, but record value schema is missing");
        }

        AddStructKeys(tableName, "RECORD_VALUE", "value", pkFields, valueSchema, fields, keyNames);
    }

    private static void AddStructKeys(
        string tableName, string mode, string part, IReadOnlyList<string> pkFields, ConnectSchema schema,
        Dictionary<string, SinkRecordField> fields, List<string> keyNames)
    {
        if (pkFields.Count == 0)
        {
            keyNames.AddRange(schema.Fields.Select(f => f.Name));
        }
        else
        {
            foreach (var name in pkFields.Where(n => schema.Field(n) is null))
            {
                throw new ConnectException(
                    $"PK mode for table '{tableName}' is {mode} with configured PK fields [{string.Join(", ", pkFields)}], but record " +
                    $"{part} schema does not contain field: {name}");
            }

            keyNames.AddRange(pkFields);
        }

        foreach (var name in keyNames)
        {
            fields[name] = new SinkRecordField(name, schema.Field(name)!.Schema, IsPrimaryKey: true);
        }
    }
}
