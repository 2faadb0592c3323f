using Google.Protobuf.Reflection;

namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>One field against the field of the same number: name, label, kind, scalar group, map and named type.</summary>
internal sealed partial class ProtobufSchemaDiff
{
    private void CompareField(FieldDescriptorProto original, FieldDescriptorProto update, DescriptorProto originalMessage, DescriptorProto updateMessage, (bool Original, bool Update) proto3)
    {
        if (original.Name != update.Name)
        {
            Add(ProtobufChange.FIELD_NAME_CHANGED);
        }

        CompareLabelsAndTypes(Label(original, originalMessage, proto3.Original, _original), Label(update, updateMessage, proto3.Update, _update), original, update);
    }

    /// <summary>
    /// The label as written: none for a proto3 field without one, a oneof's member or a map, so that only labels
    /// both sides write are compared.
    /// </summary>
    private static FieldDescriptorProto.Label? Label(FieldDescriptorProto field, DescriptorProto message, bool proto3, ProtobufParsedSchema schema)
    {
        if (OneofOf(message, field) is not null || MapEntry(field, schema) is not null)
        {
            return null;
        }

        return proto3 && field.label == FieldDescriptorProto.Label.LabelOptional && !field.Proto3Optional ? null : field.label;
    }

    private void CompareLabelsAndTypes(FieldDescriptorProto.Label? originalLabel, FieldDescriptorProto.Label? updateLabel, FieldDescriptorProto original, FieldDescriptorProto update)
    {
        var originalKind = KindOf(original, _original);
        if (originalKind != KindOf(update, _update))
        {
            Add(ProtobufChange.FIELD_KIND_CHANGED);
            return;
        }

        switch (originalKind)
        {
            case Kind.Scalar:
                CompareScalars(originalLabel, updateLabel, original, update);
                break;
            case Kind.Map:
                var o = MapEntry(original, _original)!;
                var u = MapEntry(update, _update)!;
                CompareLabelsAndTypes(null, null, EntryField(o, 1), EntryField(u, 1));
                CompareLabelsAndTypes(null, null, EntryField(o, 2), EntryField(u, 2));
                break;
            default:
                CompareNamedTypes(original, update);
                break;
        }
    }

    private static FieldDescriptorProto EntryField(DescriptorProto entry, int number) => entry.Fields.First(f => f.Number == number);

    private static Kind KindOf(FieldDescriptorProto field, ProtobufParsedSchema schema) => field.type switch
    {
        FieldDescriptorProto.Type.TypeMessage or FieldDescriptorProto.Type.TypeGroup => MapEntry(field, schema) is null ? Kind.Message : Kind.Map,
        _ => Kind.Scalar,
    };

    private static DescriptorProto? MapEntry(FieldDescriptorProto field, ProtobufParsedSchema schema) =>
        field is { type: FieldDescriptorProto.Type.TypeMessage, label: FieldDescriptorProto.Label.LabelRepeated }
        && schema.Types.Message(field.TypeName)?.Descriptor is { Options.MapEntry: true } entry
            ? entry
            : null;

    private void CompareScalars(FieldDescriptorProto.Label? originalLabel, FieldDescriptorProto.Label? updateLabel, FieldDescriptorProto original, FieldDescriptorProto update)
    {
        var kind = ScalarKindOf(original.type);
        if (kind != ScalarKindOf(update.type))
        {
            Add(ProtobufChange.FIELD_SCALAR_KIND_CHANGED);
        }
        else if (originalLabel is not null && updateLabel is not null && originalLabel != updateLabel)
        {
            Add(kind == ScalarKind.StringOrBytes ? ProtobufChange.FIELD_STRING_OR_BYTES_LABEL_CHANGED : ProtobufChange.FIELD_NUMERIC_LABEL_CHANGED);
        }
    }

    private static ScalarKind ScalarKindOf(FieldDescriptorProto.Type type) => type switch
    {
        FieldDescriptorProto.Type.TypeSint32 or FieldDescriptorProto.Type.TypeSint64 => ScalarKind.SignedNumber,
        FieldDescriptorProto.Type.TypeString or FieldDescriptorProto.Type.TypeBytes => ScalarKind.StringOrBytes,
        FieldDescriptorProto.Type.TypeFixed32 or FieldDescriptorProto.Type.TypeSfixed32 => ScalarKind.Fixed32,
        FieldDescriptorProto.Type.TypeFixed64 or FieldDescriptorProto.Type.TypeSfixed64 => ScalarKind.Fixed64,
        FieldDescriptorProto.Type.TypeFloat => ScalarKind.Float,
        FieldDescriptorProto.Type.TypeDouble => ScalarKind.Double,
        // int32, int64, uint32, uint64, bool and every enum.
        _ => ScalarKind.GeneralNumber,
    };

    /// <summary>
    /// A message-typed field must name the same type (relative to its package). A type declared in this schema is
    /// compared where it is declared; one from another file is compared here, in full, unless both sides take it from
    /// the same subject and version, and its differences are reported at its own path.
    /// </summary>
    private void CompareNamedTypes(FieldDescriptorProto original, FieldDescriptorProto update)
    {
        var o = _original.Types.Message(original.TypeName);
        var u = _update.Types.Message(update.TypeName);
        if (o is null || u is null)
        {
            if (ProtobufTypes.Strip(original.TypeName) != ProtobufTypes.Strip(update.TypeName))
            {
                Add(ProtobufChange.FIELD_NAMED_TYPE_CHANGED);
            }

            return;
        }

        var originalLocal = LocalName(o);
        if (originalLocal != LocalName(u))
        {
            Add(ProtobufChange.FIELD_NAMED_TYPE_CHANGED);
            return;
        }

        var originalSource = _original.SourceOf(o.File.Name);
        var updateSource = _update.SourceOf(u.File.Name);
        if (originalSource is not null && originalSource == updateSource)
        {
            return;
        }

        if (!_namedTypes.TryGetValue((o.FullName, u.FullName), out var compared))
        {
            if (_namedTypeDepth >= MaxNamedTypeDepth)
            {
                Add(ProtobufChange.FIELD_NAMED_TYPE_CHANGED);
                return;
            }

            _namedTypeDepth++;
            try
            {
                compared = CompareDeclared(o, u, originalLocal);
            }
            finally
            {
                _namedTypeDepth--;
            }

            _namedTypes[(o.FullName, u.FullName)] = compared;
        }

        compared.Differences.ForEach(Add);
        if (!compared.Compatible)
        {
            Add(ProtobufChange.FIELD_NAMED_TYPE_CHANGED);
        }
    }

    /// <summary>Two messages compared apart, at the path of their package-relative name.</summary>
    private (List<ProtobufDifference>, bool) CompareDeclared(ProtobufMessage original, ProtobufMessage update, string localName)
    {
        var (differences, seen, path) = (_differences, _seen, _path.ToArray());
        _differences = [];
        _seen = [];
        _path.Clear();
        _path.AddRange(localName.Split('.'));
        try
        {
            CompareMessage(original.Descriptor, update.Descriptor, (original.IsProto3, update.IsProto3));
            return (_differences, _differences.All(d => d.IsCompatible));
        }
        finally
        {
            (_differences, _seen) = (differences, seen);
            _path.Clear();
            _path.AddRange(path);
        }
    }

    private static string LocalName(ProtobufMessage message) =>
        string.IsNullOrEmpty(message.File.Package) ? message.FullName : message.FullName[(message.File.Package.Length + 1)..];
}
