namespace Tributary.Grains.Connect.Api.Data;

/// <summary>A value with the schema it was read with (Kafka's <c>SchemaAndValue</c>); both null for a null record part.</summary>
public sealed record SchemaAndValue(Schema? Schema, object? Value)
{
    public static readonly SchemaAndValue Null = new(null, null);
}
