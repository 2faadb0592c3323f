namespace Tributary.Grains.SchemaRegistry.Protobuf;

/// <summary>The kinds of change Confluent's Protobuf compatibility rules tell apart, by its names.</summary>
internal enum ProtobufChange
{
    PACKAGE_CHANGED,
    MESSAGE_ADDED,
    MESSAGE_REMOVED,
    MESSAGE_MOVED,
    ENUM_ADDED,
    ENUM_REMOVED,
    ENUM_CONST_ADDED,
    ENUM_CONST_CHANGED,
    ENUM_CONST_REMOVED,
    FIELD_ADDED,
    FIELD_REMOVED,
    FIELD_NAME_CHANGED,
    FIELD_KIND_CHANGED,
    FIELD_SCALAR_KIND_CHANGED,
    FIELD_NAMED_TYPE_CHANGED,
    FIELD_NUMERIC_LABEL_CHANGED,
    FIELD_STRING_OR_BYTES_LABEL_CHANGED,
    REQUIRED_FIELD_ADDED,
    REQUIRED_FIELD_REMOVED,
    ONEOF_ADDED,
    ONEOF_REMOVED,
    ONEOF_FIELD_ADDED,
    ONEOF_FIELD_REMOVED,
    ONEOF_FIELD_MOVED_TO_TOP_LEVEL,
    MULTIPLE_FIELDS_MOVED_TO_ONEOF,
    FIELD_MOVED_TO_EXISTING_ONEOF,
}

/// <summary>
/// One change between a writer's (original) and a reader's (update) schema, at a path of type names, oneof names
/// and field or enum numbers (<c>#/Outer/Inner/2</c>).
/// </summary>
internal sealed record ProtobufDifference(ProtobufChange Change, string Path)
{
    /// <summary>The changes after which the reader still reads what the writer wrote (Confluent's COMPATIBLE_CHANGES).</summary>
    public bool IsCompatible => Change is ProtobufChange.MESSAGE_ADDED or ProtobufChange.MESSAGE_MOVED or ProtobufChange.ENUM_ADDED
        or ProtobufChange.ENUM_REMOVED or ProtobufChange.ENUM_CONST_ADDED or ProtobufChange.ENUM_CONST_CHANGED or ProtobufChange.ENUM_CONST_REMOVED
        or ProtobufChange.FIELD_ADDED or ProtobufChange.FIELD_REMOVED or ProtobufChange.FIELD_NAME_CHANGED
        or ProtobufChange.FIELD_STRING_OR_BYTES_LABEL_CHANGED or ProtobufChange.ONEOF_ADDED or ProtobufChange.ONEOF_REMOVED
        or ProtobufChange.ONEOF_FIELD_ADDED or ProtobufChange.ONEOF_FIELD_MOVED_TO_TOP_LEVEL;

    /// <summary>Confluent's message: <c>{errorType:"…", description:"…"}</c>, naming the reader's schema first.</summary>
    public string Message(string reader, string writer) => $"{{errorType:\"{Change}\", description:\"{Description(reader, writer)}\"}}";

    private string Description(string reader, string writer) => Change switch
    {
        ProtobufChange.PACKAGE_CHANGED => $"The package at '{Path}' in the {reader} schema does not match the package in the {writer} schema",
        ProtobufChange.MESSAGE_REMOVED => $"The {reader} schema is missing a MESSAGE type at path '{Path}' in the {writer} schema",
        ProtobufChange.FIELD_KIND_CHANGED => $"The type of a field at path '{Path}' in the {reader} schema does not match the {writer} schema",
        ProtobufChange.FIELD_SCALAR_KIND_CHANGED => $"The kind of a SCALAR field at path '{Path}' in the {reader} schema does not match its kind in the {writer} schema",
        ProtobufChange.FIELD_NAMED_TYPE_CHANGED => $"The type of a MESSAGE field at path '{Path}' in the {reader} schema does not match its type in the {writer} schema",
        ProtobufChange.FIELD_NUMERIC_LABEL_CHANGED => $"The label for a NUMERIC field at path '{Path}' in the {reader} schema does not match its label in the {writer} schema",
        // Confluent's wording, two spaces included.
        ProtobufChange.REQUIRED_FIELD_ADDED => $"A required field  at path '{Path}' in the {reader} schema is missing in the {writer} schema",
        ProtobufChange.REQUIRED_FIELD_REMOVED => $"The {reader} schema is missing a required field at path: '{Path}' in the {writer} schema",
        ProtobufChange.ONEOF_FIELD_REMOVED => $"The {reader} schema is missing a oneof field at path '{Path}' in the {writer} schema",
        ProtobufChange.ONEOF_FIELD_MOVED_TO_TOP_LEVEL => $"The oneof field at path '{Path}' in the {reader} schema was moved out of its oneof to a top-level field in the {writer} schema",
        ProtobufChange.MULTIPLE_FIELDS_MOVED_TO_ONEOF => $"Multiple fields in the oneof at path '{Path}' in the {reader} schema are outside a oneof in the {writer} schema",
        ProtobufChange.FIELD_MOVED_TO_EXISTING_ONEOF => $"A field in the oneof at path '{Path}' in the {reader} schema is outside an existing oneof in the {writer} schema",
        _ => "",
    };

    public override string ToString() => $"{Change} {Path}";
}
