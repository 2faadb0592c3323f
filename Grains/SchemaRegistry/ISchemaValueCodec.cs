namespace Tributary.Grains.SchemaRegistry;

/// <summary>
/// Values of a schema format as JSON, both ways, as the REST Proxy's embedded formats carry them: the bytes are what
/// follows the magic byte and schema id of Confluent's wire format.
/// </summary>
public interface ISchemaValueCodec
{
    /// <summary>A JSON value as the bytes after the schema id; <see cref="FormatException"/> when it does not fit the schema.</summary>
    byte[] Encode(ParsedSchema schema, string json);

    /// <summary>The bytes after the schema id as a JSON value; <see cref="FormatException"/> when they cannot be read.</summary>
    string Decode(ParsedSchema schema, ReadOnlyMemory<byte> payload);
}
