using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// A format whose files name the value schema they were written with (Confluent's storage <c>SchemaFileReader</c>):
/// Avro containers in their header, Parquet files in parquet-avro's <c>parquet.avro.schema</c> metadata. After a
/// restart, the partition writer reads the last committed file's schema so that, with a <c>schema.compatibility</c>
/// other than NONE, records of an older schema are projected to the one the files already have, as before the restart.
/// </summary>
public interface ISchemaFileReader
{
    /// <summary>The file's value schema; null when the file does not name one (a file of another writer).</summary>
    Task<Schema?> ReadSchemaAsync(Stream file, CancellationToken cancellationToken);
}
