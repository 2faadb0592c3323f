using System.Globalization;
using System.Text;

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// Writes an <see cref="AvroType"/> as JSON the way Java's Avro <c>Schema.toString()</c> does: a named type in full the
/// first time and by name after, its namespace only where it differs from the enclosing one, members in Java's order.
/// The <see cref="ForEncoding"/> form leaves out properties and docs: Apache.Avro encodes and decodes with it, reading
/// logical types as their primitives, as Confluent's converter does (it turns them into Connect values itself).
/// </summary>
internal static class AvroSchemaWriter
{
    public static string Write(AvroType type) => Write(type, full: true);

    public static string ForEncoding(AvroType type) => Write(type, full: false);

    private static string Write(AvroType type, bool full)
    {
        var text = new StringBuilder();
        new Context(text, full).Write(type, null);
        return text.ToString();
    }

    /// <summary>One writing: the output, the names already written in full and whether to write metadata.</summary>
    private sealed class Context(StringBuilder text, bool full)
    {
        private readonly HashSet<string> _known = new(StringComparer.Ordinal);

        public void Write(AvroType type, string? space)
        {
            switch (type)
            {
                case AvroUnion union:
                    text.Append('[');
                    for (var i = 0; i < union.Types.Count; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(',');
                        }

                        Write(union.Types[i], space);
                    }

                    text.Append(']');
                    return;
                case AvroNamed named when !_known.Add(named.FullName):
                    JavaJson.WriteString(text, named.Namespace is null || named.Namespace == space ? named.Name : named.FullName);
                    return;
                case AvroPrimitive when !full || type.Props.Count == 0:
                    JavaJson.WriteString(text, type.Kind.Name());
                    return;
            }

            text.Append("{\"type\":");
            JavaJson.WriteString(text, type.Kind.Name());
            switch (type)
            {
                case AvroRecord record:
                    WriteName(record, space);
                    WriteDoc(record.Doc);
                    text.Append(",\"fields\":[");
                    for (var i = 0; i < record.Fields.Count; i++)
                    {
                        if (i > 0)
                        {
                            text.Append(',');
                        }

                        WriteField(record.Fields[i], record.Namespace);
                    }

                    text.Append(']');
                    break;
                case AvroEnum enumeration:
                    WriteName(enumeration, space);
                    WriteDoc(enumeration.Doc);
                    text.Append(",\"symbols\":[");
                    text.AppendJoin(',', enumeration.Symbols.Select(Quoted));
                    text.Append(']');
                    if (enumeration.Default is not null)
                    {
                        text.Append(",\"default\":");
                        JavaJson.WriteString(text, enumeration.Default);
                    }

                    break;
                case AvroFixed fixedType:
                    WriteName(fixedType, space);
                    WriteDoc(fixedType.Doc);
                    text.Append(",\"size\":").Append(fixedType.Size.ToString(CultureInfo.InvariantCulture));
                    break;
                case AvroArray array:
                    text.Append(",\"items\":");
                    Write(array.Items, space);
                    break;
                case AvroMap map:
                    text.Append(",\"values\":");
                    Write(map.Values, space);
                    break;
            }

            WriteProps(type.Props);
            text.Append('}');
        }

        private void WriteField(AvroField field, string? space)
        {
            text.Append("{\"name\":");
            JavaJson.WriteString(text, field.Name);
            text.Append(",\"type\":");
            Write(field.Type, space);
            WriteDoc(field.Doc);
            if (field.HasDefault)
            {
                text.Append(",\"default\":");
                JavaJson.WriteNode(text, field.Default);
            }

            if (field.Order is not null)
            {
                text.Append(",\"order\":");
                JavaJson.WriteString(text, field.Order);
            }

            WriteProps(field.Props);
            text.Append('}');
        }

        private void WriteName(AvroNamed named, string? space)
        {
            text.Append(",\"name\":");
            JavaJson.WriteString(text, named.Name);
            if (named.Namespace is not null ? named.Namespace != space : space is not null)
            {
                text.Append(",\"namespace\":");
                JavaJson.WriteString(text, named.Namespace ?? "");
            }
        }

        private void WriteDoc(string? doc)
        {
            if (full && doc is not null)
            {
                text.Append(",\"doc\":");
                JavaJson.WriteString(text, doc);
            }
        }

        private void WriteProps(AvroProps props)
        {
            if (!full)
            {
                return;
            }

            foreach (var (name, value) in props.Entries)
            {
                text.Append(',');
                JavaJson.WriteString(text, name);
                text.Append(':');
                JavaJson.WriteNode(text, value);
            }
        }

        private static string Quoted(string symbol)
        {
            var text = new StringBuilder();
            JavaJson.WriteString(text, symbol);
            return text.ToString();
        }
    }
}
