using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// <c>schema.compatibility</c> (Confluent's <c>StorageSchemaCompatibility</c>): when a record's value schema differs
/// from the one of the files being written, whether the files rotate to the record's schema or the record is
/// projected to theirs. NONE rotates on any change; BACKWARD and FULL rotate to a newer version and project older
/// ones up to the current; FORWARD rotates to an older version and projects newer ones down. Only value schemas count.
/// </summary>
public enum StorageSchemaCompatibility
{
    None,
    Backward,
    Forward,
    Full,
}

public static class StorageSchemaCompatibilities
{
    /// <summary>Whether the files must rotate to <paramref name="valueSchema"/> before a record of it is written.</summary>
    public static bool ShouldChangeSchema(this StorageSchemaCompatibility compatibility, Schema? valueSchema, Schema? currentSchema)
    {
        if (currentSchema is null && valueSchema is null)
        {
            return false;
        }

        if (currentSchema is null || valueSchema is null)
        {
            throw new SchemaProjectorException("Switch between schema-based and schema-less data is not supported");
        }

        if (compatibility == StorageSchemaCompatibility.None)
        {
            return !valueSchema.Equals(currentSchema);
        }

        if (valueSchema.Version is not { } version || currentSchema.Version is not { } current)
        {
            throw new SchemaProjectorException($"Schema version required for {compatibility.ToString().ToUpperInvariant()} compatibility");
        }

        return compatibility == StorageSchemaCompatibility.Forward ? version < current : version > current;
    }

    /// <summary>The record with its value in <paramref name="currentSchema"/>; the record itself when nothing changes.</summary>
    public static SinkRecord Project(this StorageSchemaCompatibility compatibility, SinkRecord record, Schema? currentSchema)
    {
        if (compatibility == StorageSchemaCompatibility.None || currentSchema is null || Equals(record.ValueSchema, currentSchema))
        {
            return record;
        }

        var value = SchemaProjector.Project(record.ValueSchema!, record.Value, currentSchema);
        return record.NewRecord(record.Topic, record.KafkaPartition, record.KeySchema, record.Key, currentSchema, value, record.Timestamp);
    }
}
