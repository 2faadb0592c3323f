using Avro.File;
using Avro.Generic;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Formats;
using Tributary.Tests.TestKit;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Storage.Sink;

/// <summary>
/// After a restart, a sink with a <c>schema.compatibility</c> other than NONE goes on with the schema of the last
/// committed file, as Confluent's HDFS sink does: older records are projected to it instead of starting files of their
/// own schema. The files are read back by DuckDB (Parquet) and Apache.Avro's container reader.
/// </summary>
public sealed class SchemaAfterRestartTests : IDisposable
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private static readonly long Hour0 = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("io.confluent.connect.hdfs.parquet.ParquetFormat", ".parquet")]
    [InlineData("io.confluent.connect.hdfs.avro.AvroFormat", ".avro")]
    public async Task WithBackwardCompatibility_OlderRecordsAfterARestart_AreProjectedToTheLastCommittedFilesSchema(string format, string extension)
    {
        var config = SinkHarness.LocalConfig(_root.Path, ("format.class", format), ("schema.compatibility", "BACKWARD"), ("flush.size", "10"));
        var resumedAt = await WriteTenRecordsBeforeAndTenAfterARestartAsync(config, SinkHarness.OrderV2, SinkHarness.OrderV1);

        Assert.Equal(10, resumedAt);
        Assert.Equal(
            [$"orders+0+0000000000+0000000009{extension}", $"orders+0+0000000010+0000000019{extension}"],
            Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName).Order());
        Assert.Equal(Enumerable.Repeat("none", 10), Notes(_root.Combine("topics", "orders", "partition=0", $"orders+0+0000000010+0000000019{extension}")));
    }

    [Fact]
    public async Task WithBackwardCompatibility_ANewerRecordAfterARestart_StartsFilesOfItsOwnSchema()
    {
        var config = SinkHarness.LocalConfig(_root.Path, ("schema.compatibility", "BACKWARD"), ("flush.size", "10"));
        await WriteTenRecordsBeforeAndTenAfterARestartAsync(config, SinkHarness.OrderV1, SinkHarness.OrderV2);

        Assert.Equal(
            Enumerable.Range(10, 10).Select(i => $"note-{i}"),
            Notes(_root.Combine("topics", "orders", "partition=0", "orders+0+0000000010+0000000019.parquet")));
    }

    [Fact]
    public async Task WithoutSchemaCompatibility_RecordsAfterARestart_KeepTheirOwnSchema()
    {
        var config = SinkHarness.LocalConfig(_root.Path, ("flush.size", "10"));
        await WriteTenRecordsBeforeAndTenAfterARestartAsync(config, SinkHarness.OrderV2, SinkHarness.OrderV1);

        var columns = DuckDb.Query(
            $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('{_root.Combine("topics", "orders", "partition=0", "orders+0+0000000010+0000000019.parquet")}', hive_partitioning = false))");
        Assert.Equal(["id", "name", "at"], columns.Select(c => (string)c[0]!));
    }

    [Fact]
    public async Task ALastCommittedFileThatCannotBeRead_IsPassedOver_AndTheFilesTakeTheRecordsSchema()
    {
        var directory = _root.Combine("topics", "orders", "partition=0");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "orders+0+0000000000+0000000009.parquet"), "not a Parquet file");

        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path, ("schema.compatibility", "BACKWARD"), ("flush.size", "10")));
        await sink.StartAsync(Orders0);
        await sink.PutAsync(Enumerable.Range(10, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));

        Assert.Equal(10, sink.Context.Seeks[Orders0]);
        var columns = DuckDb.Query(
            $"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('{Path.Combine(directory, "orders+0+0000000010+0000000019.parquet")}', hive_partitioning = false))");
        Assert.Equal(["id", "name", "at"], columns.Select(c => (string)c[0]!));
    }

    [Fact]
    public async Task ParquetFiles_CarryTheValueSchemaAsParquetAvrosMetadata()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path, ("flush.size", "10")));
        await sink.StartAsync(Orders0);
        await sink.PutAsync(Enumerable.Range(0, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0, SinkHarness.OrderV2)));

        var file = _root.Combine("topics", "orders", "partition=0", "orders+0+0000000000+0000000009.parquet");
        var metadata = DuckDb.Query($"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{file}') ORDER BY 1")
            .ToDictionary(row => (string)row[0]!, row => (string)row[1]!);
        Assert.Equal("avro", metadata["writer.model.name"]);
        var avro = global::Avro.Schema.Parse(metadata[ParquetFormat.AvroSchemaKey]);
        Assert.Equal("shop.order", avro.Fullname);
        Assert.Equal("2", avro.GetProperty("connect.version"));
        Assert.Equal(["id", "name", "at", "note"], ((global::Avro.RecordSchema)avro).Fields.Select(f => f.Name));
    }

    // Ten records of one schema committed in one file; a new task on the same store (a restart); ten of another.
    private static async Task<long> WriteTenRecordsBeforeAndTenAfterARestartAsync(
        Dictionary<string, string> config, ConnectSchema before, ConnectSchema after)
    {
        await using (var first = new SinkHarness(config))
        {
            await first.StartAsync(Orders0);
            await first.PutAsync(Enumerable.Range(0, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0, before)));
        }

        await using var restarted = new SinkHarness(config);
        await restarted.StartAsync(Orders0);
        await restarted.PutAsync(Enumerable.Range(10, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0, after)));
        return restarted.Context.Seeks[Orders0];
    }

    [Fact]
    public async Task AParquetFileOfASchemaAvroCannotName_IsWrittenWithoutTheAvroSchema()
    {
        var schema = SchemaBuilder.Struct().WithName("shop.order").WithVersion(1).Field("order-id", ConnectSchema.Int64).Build();
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path, ("flush.size", "10")));
        await sink.StartAsync(Orders0);
        await sink.PutAsync(Enumerable.Range(0, 10).Select(i =>
            new SinkRecord("orders", 0, null, null, schema, new Struct(schema).Put("order-id", (long)i), i, Hour0, TimestampType.CreateTime)));

        var file = _root.Combine("topics", "orders", "partition=0", "orders+0+0000000000+0000000009.parquet");
        Assert.Equal(45L, DuckDb.CountOrMinusOne($"SELECT sum(\"order-id\")::BIGINT FROM read_parquet('{file}')"));
        Assert.Equal(0L, DuckDb.CountOrMinusOne($"SELECT count(*) FROM parquet_kv_metadata('{file}') WHERE decode(key) = '{ParquetFormat.AvroSchemaKey}'"));
    }

    private static List<string?> Notes(string path)
    {
        if (path.EndsWith(".parquet", StringComparison.Ordinal))
        {
            return [.. DuckDb.Query($"SELECT note FROM read_parquet('{path}') ORDER BY id").Select(row => (string?)row[0])];
        }

        using var reader = DataFileReader<GenericRecord>.OpenReader(path);
        var notes = new List<string?>();
        while (reader.HasNext())
        {
            notes.Add(reader.Next()["note"] as string);
        }

        return notes;
    }
}
