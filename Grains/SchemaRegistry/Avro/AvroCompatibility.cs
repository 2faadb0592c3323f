using Avro;
using Newtonsoft.Json.Linq;
using AvroSchema = Avro.Schema;

namespace Tributary.Grains.SchemaRegistry.Avro;

/// <summary>
/// Whether a reader schema can read data written with a writer schema, by the Avro specification's resolution rules,
/// after Avro's SchemaCompatibility: primitive promotions (int to long, float, double; long to float, double; float to
/// double; string and bytes both ways), records by field name or reader alias with reader defaults for missing fields,
/// enums with the reader's default symbol, fixed sizes, names or reader aliases of named types, and unions branch by
/// branch. Logical types are read by their underlying type. Recursive types are assumed compatible where they recur.
/// Each incompatibility is reported once, with Confluent's error type and the path of the schema node at fault.
/// </summary>
internal sealed class AvroCompatibility
{
    private readonly HashSet<(AvroSchema Reader, AvroSchema Writer)> _inProgress = [];
    private readonly List<string> _messages = [];

    public static IReadOnlyList<string> Check(AvroSchema reader, AvroSchema writer)
    {
        var checker = new AvroCompatibility();
        checker.Compare(reader, writer, "");
        return checker._messages;
    }

    /// <summary>True when compatible; reports into the messages otherwise.</summary>
    private bool Compare(AvroSchema reader, AvroSchema writer, string path)
    {
        reader = Unwrap(reader);
        writer = Unwrap(writer);
        if (!_inProgress.Add((reader, writer)))
        {
            return true;
        }

        try
        {
            return reader.Tag == writer.Tag ? CompareSameType(reader, writer, path) : CompareDifferentTypes(reader, writer, path);
        }
        finally
        {
            _inProgress.Remove((reader, writer));
        }
    }

    private bool CompareSameType(AvroSchema reader, AvroSchema writer, string path)
    {
        switch (reader)
        {
            case ArraySchema readerArray:
                return Compare(readerArray.ItemSchema, ((ArraySchema)writer).ItemSchema, path + "/items");
            case MapSchema readerMap:
                return Compare(readerMap.ValueSchema, ((MapSchema)writer).ValueSchema, path + "/values");
            case FixedSchema readerFixed:
            {
                var writerFixed = (FixedSchema)writer;
                var named = CheckName(readerFixed, writerFixed, path);
                if (readerFixed.Size != writerFixed.Size)
                {
                    Report("FIXED_SIZE_MISMATCH", $"expected: {writerFixed.Size}, found: {readerFixed.Size}", path + "/size", reader, writer);
                    return false;
                }

                return named;
            }

            case EnumSchema readerEnum:
            {
                var writerEnum = (EnumSchema)writer;
                var named = CheckName(readerEnum, writerEnum, path);
                var missing = writerEnum.Symbols.Where(s => !readerEnum.Symbols.Contains(s)).ToList();
                if (missing.Count > 0 && readerEnum.Default is null)
                {
                    Report("MISSING_ENUM_SYMBOLS", $"[{string.Join(", ", missing)}]", path + "/symbols", reader, writer);
                    return false;
                }

                return named;
            }

            case RecordSchema readerRecord:
                return CompareRecords(readerRecord, (RecordSchema)writer, path);
            case UnionSchema readerUnion:
            {
                var compatible = true;
                var writerUnion = (UnionSchema)writer;
                for (var i = 0; i < writerUnion.Count; i++)
                {
                    if (!ReaderUnionReads(readerUnion, writerUnion[i]))
                    {
                        Report("MISSING_UNION_BRANCH", $"reader union lacking writer type: {TypeName(writerUnion[i])}", $"{path}/{i}", reader, writer);
                        compatible = false;
                    }
                }

                return compatible;
            }

            default:
                return true;
        }
    }

    private bool CompareDifferentTypes(AvroSchema reader, AvroSchema writer, string path)
    {
        if (writer is UnionSchema writerUnion)
        {
            // Every branch the writer may have written must be readable.
            var compatible = true;
            for (var i = 0; i < writerUnion.Count; i++)
            {
                compatible &= Compare(reader, writerUnion[i], $"{path}/{i}");
            }

            return compatible;
        }

        if (reader is UnionSchema readerUnion)
        {
            if (ReaderUnionReads(readerUnion, writer))
            {
                return true;
            }

            Report("TYPE_MISMATCH", $"reader union lacking writer type: {TypeName(writer)}", path, reader, writer);
            return false;
        }

        if (IsPromotion(reader.Tag, writer.Tag))
        {
            return true;
        }

        Report("TYPE_MISMATCH", $"reader type: {TypeName(reader)} not compatible with writer type: {TypeName(writer)}", path, reader, writer);
        return false;
    }

    private bool CompareRecords(RecordSchema reader, RecordSchema writer, string path)
    {
        var compatible = CheckName(reader, writer, path);
        for (var i = 0; i < reader.Fields.Count; i++)
        {
            var field = reader.Fields[i];
            var written = WriterField(writer, field);
            if (written is null)
            {
                if (field.DefaultValue is null)
                {
                    Report("READER_FIELD_MISSING_DEFAULT_VALUE", field.Name, $"{path}/fields/{i}", reader, writer);
                    compatible = false;
                }

                continue;
            }

            compatible &= Compare(field.Schema, written.Schema, $"{path}/fields/{i}/type");
        }

        return compatible;
    }

    /// <summary>Whether some branch of the reader union reads the writer type, without reporting the branches that do not.</summary>
    private bool ReaderUnionReads(UnionSchema reader, AvroSchema writer)
    {
        foreach (var branch in reader.Schemas)
        {
            var probe = new AvroCompatibility();
            probe._inProgress.UnionWith(_inProgress);
            if (probe.Compare(branch, writer, ""))
            {
                return true;
            }
        }

        return false;
    }

    private bool CheckName(NamedSchema reader, NamedSchema writer, string path)
    {
        if (reader.Name == writer.Name || Aliases(reader).Contains(writer.Fullname))
        {
            return true;
        }

        Report("NAME_MISMATCH", $"expected: {writer.Fullname}", path + "/name", reader, writer);
        return false;
    }

    /// <summary>A named type's aliases, as full names (Apache.Avro keeps them to itself; its JSON writes them out).</summary>
    private static IReadOnlyList<string> Aliases(NamedSchema schema) =>
        AvroJson.Read(schema.ToString())["aliases"]?.Values<string>().OfType<string>().ToList() ?? [];

    private static Field? WriterField(RecordSchema writer, Field readerField)
    {
        if (writer.TryGetField(readerField.Name, out var field))
        {
            return field;
        }

        return readerField.Aliases?.Select(alias => writer.TryGetField(alias, out var aliased) ? aliased : null).FirstOrDefault(f => f is not null);
    }

    private static bool IsPromotion(AvroSchema.Type reader, AvroSchema.Type writer) => (reader, writer) switch
    {
        (AvroSchema.Type.Long, AvroSchema.Type.Int) => true,
        (AvroSchema.Type.Float, AvroSchema.Type.Int or AvroSchema.Type.Long) => true,
        (AvroSchema.Type.Double, AvroSchema.Type.Int or AvroSchema.Type.Long or AvroSchema.Type.Float) => true,
        (AvroSchema.Type.String, AvroSchema.Type.Bytes) => true,
        (AvroSchema.Type.Bytes, AvroSchema.Type.String) => true,
        _ => false,
    };

    private static AvroSchema Unwrap(AvroSchema schema) => schema is LogicalSchema logical ? logical.BaseSchema : schema;

    private static string TypeName(AvroSchema schema) => Unwrap(schema).Tag.ToString().ToUpperInvariant();

    private void Report(string errorType, string detail, string path, AvroSchema reader, AvroSchema writer)
    {
        _messages.Add($"{{errorType:'{errorType}', description:'The type (path '{(path.Length == 0 ? "/" : path)}') of the reader schema " +
            $"({TypeName(reader)} {Describe(reader)}) cannot read data written with the writer schema ({TypeName(writer)} {Describe(writer)}): {detail}', " +
            $"additionalInfo:'{detail}'}}");
    }

    private static string Describe(AvroSchema schema) => Unwrap(schema) is NamedSchema named ? named.Fullname : "";
}
