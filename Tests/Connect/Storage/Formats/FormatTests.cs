using System.Text;
using System.Text.Json;
using Avro.File;
using Avro.Generic;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Formats;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Storage.Formats;

/// <summary>The file formats, read back by readers of their own: Apache.Avro's container reader, a JSON parser.</summary>
public sealed class FormatTests
{
    private static readonly ConnectSchema Row = SchemaBuilder.Struct().WithName("shop.order")
        .Field("id", ConnectSchema.Int64)
        .Field("name", ConnectSchema.String)
        .Field("note", ConnectSchema.OptionalString)
        .Field("amount", LogicalTypes.Decimal(2).Build())
        .Field("at", LogicalTypes.Timestamp().Build())
        .Field("tags", SchemaBuilder.Array(ConnectSchema.String).Build())
        .Field("address", SchemaBuilder.Struct().WithName("shop.address").Field("city", ConnectSchema.String).Build())
        .Build();

    static FormatTests() => Codec.RegisterResolver(AvroCodecs.Resolve);

    [Theory]
    [InlineData("null")]
    [InlineData("deflate")]
    [InlineData("snappy")]
    [InlineData("zstandard")]
    public async Task Avro_IsAContainerFile_OfTheValueSchema_WithTheCodec(string codec)
    {
        var format = new AvroFormat(codec);
        var file = new MemoryStream();
        await WriteAsync(format, file, Records(1_000));

        using var reader = DataFileReader<GenericRecord>.OpenReader(new MemoryStream(file.ToArray()));
        var read = reader.NextEntries.ToList();

        Assert.Equal(".avro", format.Extension);
        Assert.Equal(codec, reader.GetMetaString("avro.codec"));
        Assert.Equal("shop.order", reader.GetSchema().Fullname);
        Assert.Contains("\"connect.name\":\"org.apache.kafka.connect.data.Timestamp\"", reader.GetSchema().ToString(), StringComparison.Ordinal);
        Assert.Equal(1_000, read.Count);
        var last = read[^1];
        Assert.Equal(999L, last["id"]);
        Assert.Equal("name-999", last["name"]);
        Assert.Null(read[0]["note"]);
        Assert.Equal("note-999", last["note"]);
        Assert.IsType<DateTime>(last["at"]); // the header keeps Avro's logical types
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(999).UtcDateTime, ((DateTime)last["at"]).ToUniversalTime());
        Assert.Equal(["a", "b999"], ((object[])last["tags"]).Cast<string>());
        Assert.Equal("Utrecht", ((GenericRecord)last["address"])["city"]);
        Assert.Equal(9.99m + 999, (decimal)(Avro.AvroDecimal)last["amount"]);
    }

    [Fact]
    public void AnUnknownAvroCodec_IsAConfigException() =>
        Assert.Contains("avro.codec", Assert.Throws<ConfigException>(() => new AvroFormat("lz77")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Avro_RefusesARecordOfAnotherSchema_AndOneWithout()
    {
        var other = SchemaBuilder.Struct().WithName("shop.other").Field("id", ConnectSchema.Int64).Build();
        await using var writer = new AvroFormat().Open(new MemoryStream());
        writer.Write(Records(1)[0]);

        Assert.Throws<DataException>(() => writer.Write(new SinkRecord("orders", 0, null, null, other, new Struct(other).Put("id", 1L), 1)));
        Assert.Throws<DataException>(() => writer.Write(new SinkRecord("orders", 0, null, null, null, "schemaless", 2)));
    }

    [Theory]
    [InlineData("BASE64", "\"A+c=\"")]
    [InlineData("NUMERIC", "9.99")]
    public async Task JsonLines_AreEachRecordsValue_WithoutItsSchema(string decimalFormat, string amount)
    {
        var format = new JsonFormat(decimalFormat);
        var file = new MemoryStream();
        await WriteAsync(format, file, Records(3));

        var text = Encoding.UTF8.GetString(file.ToArray());
        var lines = text.Split('\n');

        Assert.Equal(".json", format.Extension);
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[^1]);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(0, first.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("note").ValueKind);
        Assert.Equal(1_704_067_200_000, first.RootElement.GetProperty("at").GetInt64());
        Assert.Equal("Utrecht", first.RootElement.GetProperty("address").GetProperty("city").GetString());
        Assert.Contains($"\"amount\":{amount}", lines[0], StringComparison.Ordinal);
        Assert.False(first.RootElement.TryGetProperty("schema", out _));
    }

    [Theory]
    [InlineData("snappy")]
    [InlineData("gzip")]
    [InlineData("zstd")]
    [InlineData("none")]
    public async Task Parquet_HasAColumnPerField_ThatDuckDbReads_WithTheirTypes(string codec)
    {
        var format = new ParquetFormat(codec);
        var path = Path.Combine(Path.GetTempPath(), $"tributary-format-{Guid.NewGuid():N}.parquet");
        try
        {
            var file = new MemoryStream();
            await WriteAsync(format, file, Records(1_000));
            await File.WriteAllBytesAsync(path, file.ToArray());

            using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText =
                $"SELECT count(*), min(id), max(id), count(note), sum(amount), max(\"at\"), max(address.city), max(tags[2]) FROM read_parquet('{path}')";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            using var describe = duck.CreateCommand();
            describe.CommandText = $"DESCRIBE SELECT id, name, amount, \"at\", tags, address FROM read_parquet('{path}')";
            using var columns = describe.ExecuteReader();
            var types = new List<string>();
            while (columns.Read())
            {
                types.Add(columns.GetString(0) + ":" + columns.GetString(1));
            }

            Assert.Equal(".parquet", format.Extension);
            Assert.Equal(1_000L, reader.GetInt64(0));
            Assert.Equal(0L, reader.GetInt64(1));
            Assert.Equal(999L, reader.GetInt64(2));
            Assert.Equal(999L, reader.GetInt64(3));
            Assert.Equal(9.99m * 1_000 + 999 * 1_000 / 2, reader.GetDecimal(4));
            Assert.Equal(new DateTime(2024, 1, 1, 0, 16, 39, DateTimeKind.Utc), reader.GetDateTime(5).ToUniversalTime());
            Assert.Equal("Utrecht", reader.GetString(6));
            Assert.Equal("b999", reader.GetString(7));
            Assert.Equal(["id:BIGINT", "name:VARCHAR", "amount:DECIMAL(38,2)", "at:TIMESTAMP WITH TIME ZONE", "tags:VARCHAR[]", "address:STRUCT(city VARCHAR)"], types);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Parquet_HoldsMaps_ListsOfStructs_AndSmallIntegers()
    {
        var item = SchemaBuilder.Struct().WithName("item").Field("sku", ConnectSchema.String).Field("qty", ConnectSchema.Int16).Build();
        var schema = SchemaBuilder.Struct().WithName("basket")
            .Field("id", ConnectSchema.Int32)
            .Field("labels", SchemaBuilder.Map(ConnectSchema.String, ConnectSchema.Int64).Build())
            .Field("items", SchemaBuilder.Array(item).Build())
            .Field("flag", ConnectSchema.OptionalInt8)
            .Build();
        var records = Enumerable.Range(0, 10).Select(i => new SinkRecord("baskets", 0, null, null, schema, new Struct(schema)
            .Put("id", i)
            .Put("labels", new Dictionary<object, object?> { ["a"] = (long)i, ["b"] = 2L * i })
            .Put("items", new List<object?> { new Struct(item).Put("sku", $"s{i}").Put("qty", (short)i), new Struct(item).Put("sku", "x").Put("qty", (short)1) })
            .Put("flag", i % 2 == 0 ? null : (sbyte)i), i)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"tributary-format-{Guid.NewGuid():N}.parquet");
        try
        {
            var file = new MemoryStream();
            await WriteAsync(new ParquetFormat(), file, records);
            await File.WriteAllBytesAsync(path, file.ToArray());

            using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT sum(labels['b'])::BIGINT, sum(items[1].qty)::BIGINT, max(items[1].sku), count(flag), sum(flag)::BIGINT FROM read_parquet('{path}')";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());

            Assert.Equal(90L, reader.GetInt64(0));
            Assert.Equal(45L, reader.GetInt64(1));
            Assert.Equal("s9", reader.GetString(2));
            Assert.Equal(5L, reader.GetInt64(3));
            Assert.Equal(25L, reader.GetInt64(4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnknownParquetCodec_IsAConfigException() =>
        Assert.Contains("parquet.codec", Assert.Throws<ConfigException>(() => new ParquetFormat("lzma")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Parquet_OfAFlatSchema_IsWrittenByColumns_InRowGroups_WithEveryTypeAndNull()
    {
        var flat = SchemaBuilder.Struct().WithName("shop.line")
            .Field("id", ConnectSchema.Int64).Field("small", ConnectSchema.Int8).Field("qty", ConnectSchema.OptionalInt32)
            .Field("price", ConnectSchema.Float64).Field("ok", ConnectSchema.OptionalBoolean).Field("name", ConnectSchema.String)
            .Field("note", ConnectSchema.OptionalString).Field("raw", ConnectSchema.OptionalBytes)
            .Field("amount", LogicalTypes.Decimal(2).Build()).Field("day", LogicalTypes.Date().Optional().Build())
            .Field("at", LogicalTypes.Timestamp().Build())
            .Build();
        const int Rows = ParquetFormat.RowGroupRows * 2 + 10;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var records = Enumerable.Range(0, Rows).Select(i =>
        {
            var value = new Struct(flat).Put("id", (long)i).Put("small", (sbyte)(i % 100)).Put("qty", i % 3 == 0 ? null : i % 7)
                .Put("price", i / 4.0).Put("ok", i % 5 == 0 ? null : i % 2 == 0).Put("name", $"n{i}").Put("note", i % 2 == 0 ? null : $"note {i}")
                .Put("raw", i % 4 == 0 ? new byte[] { (byte)i } : null).Put("amount", i / 100m).Put("day", i % 10 == 0 ? null : start.AddDays(i % 30))
                .Put("at", start.AddSeconds(i));
            return new SinkRecord("lines", 0, null, null, flat, value, i, 0, TimestampType.CreateTime);
        });
        var path = Path.Combine(Path.GetTempPath(), $"tributary-format-{Guid.NewGuid():N}.parquet");
        try
        {
            var file = new MemoryStream();
            await WriteAsync(new ParquetFormat(), file, records);
            await File.WriteAllBytesAsync(path, file.ToArray());

            using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText =
                "SELECT count(*), sum(id)::BIGINT, sum(small)::BIGINT, count(qty), sum(qty)::BIGINT, sum(price), count(ok), count(*) FILTER (WHERE ok), " +
                $"count(DISTINCT name), count(note), count(raw), sum(amount), count(day), max(day), max(\"at\") FROM read_parquet('{path}')";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            var all = Enumerable.Range(0, Rows).ToList();
            Assert.Equal(Rows, reader.GetInt64(0));
            Assert.Equal(all.Sum(i => (long)i), Convert.ToInt64(reader.GetValue(1)));
            Assert.Equal(all.Sum(i => (long)(i % 100)), Convert.ToInt64(reader.GetValue(2)));
            Assert.Equal(all.Count(i => i % 3 != 0), reader.GetInt64(3));
            Assert.Equal(all.Where(i => i % 3 != 0).Sum(i => (long)(i % 7)), Convert.ToInt64(reader.GetValue(4)));
            Assert.Equal(all.Sum(i => i / 4.0), reader.GetDouble(5));
            Assert.Equal(all.Count(i => i % 5 != 0), reader.GetInt64(6));
            Assert.Equal(all.Count(i => i % 5 != 0 && i % 2 == 0), reader.GetInt64(7));
            Assert.Equal(Rows, reader.GetInt64(8));
            Assert.Equal(all.Count(i => i % 2 != 0), reader.GetInt64(9));
            Assert.Equal(all.Count(i => i % 4 == 0), reader.GetInt64(10));
            Assert.Equal(all.Sum(i => i / 100m), reader.GetDecimal(11));
            Assert.Equal(all.Count(i => i % 10 != 0), reader.GetInt64(12));
            Assert.Equal(start.AddDays(29), reader.GetDateTime(13));
            Assert.Equal(start.AddSeconds(Rows - 1), reader.GetDateTime(14).ToUniversalTime());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ParquetFilesOneAfterAnother_OnOneFormat_EachHoldOnlyTheirOwnRows()
    {
        // A closed file's column buffers serve the next file of the schema: nothing of the first may show in the second.
        var schema = SchemaBuilder.Struct().WithName("shop.note").Field("id", ConnectSchema.Int64).Field("note", ConnectSchema.OptionalString).Build();
        SinkRecord Note(int i, string? text) => new("notes", 0, null, null, schema, new Struct(schema).Put("id", (long)i).Put("note", text), i, 0, TimestampType.CreateTime);
        var format = new ParquetFormat();
        var files = new[]
        {
            Enumerable.Range(0, 3000).Select(i => Note(i, i % 3 == 0 ? null : new string('x', i % 50) + i)).ToList(),
            Enumerable.Range(3000, 10).Select(i => Note(i, i % 2 == 0 ? null : "second " + i)).ToList(),
        };
        var paths = new List<string>();
        try
        {
            foreach (var records in files)
            {
                var file = new MemoryStream();
                await WriteAsync(format, file, records);
                var path = Path.Combine(Path.GetTempPath(), $"tributary-format-{Guid.NewGuid():N}.parquet");
                await File.WriteAllBytesAsync(path, file.ToArray());
                paths.Add(path);
            }

            using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
            duck.Open();
            for (var f = 0; f < files.Length; f++)
            {
                using var command = duck.CreateCommand();
                command.CommandText = $"SELECT id, note FROM read_parquet('{paths[f]}') ORDER BY id";
                using var reader = command.ExecuteReader();
                var read = new List<(long, string?)>();
                while (reader.Read())
                {
                    read.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
                }

                Assert.Equal(files[f].Select(r => ((long)((Struct)r.Value!).Get("id")!, (string?)((Struct)r.Value!).Get("note"))), read);
            }
        }
        finally
        {
            paths.ForEach(File.Delete);
        }
    }

    [Fact]
    public async Task ByteArray_WritesEachValueAsItCame_ThenTheSeparator()
    {
        var format = new ByteArrayFormat(".raw", "|");
        var file = new MemoryStream();
        await WriteAsync(format, file, [Raw([1, 2]), Raw([3])]);

        Assert.Equal(".raw", format.Extension);
        Assert.Equal(new byte[] { 1, 2, (byte)'|', 3, (byte)'|' }, file.ToArray());
        Assert.Throws<DataException>(() => format.Open(new MemoryStream()).Write(Records(1)[0]));
    }

    [Fact]
    public async Task String_WritesEachValueAsALine()
    {
        var file = new MemoryStream();
        await WriteAsync(new StringFormat(), file, [Text("one"), Text(2.5), Text(null)]);

        Assert.Equal("one\n2.5\nnull\n", Encoding.UTF8.GetString(file.ToArray()));
    }

    [Theory]
    [InlineData("io.confluent.connect.hdfs.parquet.ParquetFormat", ".parquet")]
    [InlineData("io.confluent.connect.azure.blob.format.avro.AvroFormat", ".avro")]
    [InlineData("io.confluent.connect.s3.format.json.JsonFormat", ".json")]
    [InlineData("io.confluent.connect.hdfs.string.StringFormat", ".txt")]
    [InlineData("io.confluent.connect.azure.blob.format.bytearray.ByteArrayFormat", ".bin")]
    public void FormatClasses_AreFoundByConfluentsNames(string className, string extension)
    {
        var config = Tributary.Grains.Connect.Storage.Sink.StorageSinkConfig.Parse(new Dictionary<string, string>
        {
            ["store.url"] = "file:///tmp/x", ["flush.size"] = "1", ["format.class"] = className,
        });
        Assert.Equal(extension, RecordWriterProviders.Create(config).Extension);
    }

    [Fact]
    public void Orc_IsRefusedWithAClearMessage()
    {
        var config = Tributary.Grains.Connect.Storage.Sink.StorageSinkConfig.Parse(new Dictionary<string, string>
        {
            ["store.url"] = "file:///tmp/x", ["flush.size"] = "1", ["format.class"] = "io.confluent.connect.hdfs.orc.OrcFormat",
        });
        Assert.Contains("ORC files are not written here", Assert.Throws<ConfigException>(() => RecordWriterProviders.Create(config)).Message, StringComparison.Ordinal);
    }

    private static SinkRecord Raw(byte[] value) => new("t", 0, null, null, ConnectSchema.OptionalBytes, value, 0, 0, TimestampType.CreateTime);

    private static SinkRecord Text(object? value) => new("t", 0, null, null, null, value, 0, 0, TimestampType.CreateTime);

    private static async Task WriteAsync(IRecordWriterProvider format, MemoryStream file, IEnumerable<SinkRecord> records)
    {
        var writer = format.Open(new KeepOpen(file));
        foreach (var record in records)
        {
            writer.Write(record);
        }

        await writer.CloseAsync(CancellationToken.None);
        await writer.DisposeAsync();
    }

    private static List<SinkRecord> Records(int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var value = new Struct(Row).Put("id", (long)i).Put("name", $"name-{i}").Put("note", i == 0 ? null : $"note-{i}")
            .Put("amount", 9.99m + i).Put("at", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i))
            .Put("tags", new List<object?> { "a", $"b{i}" })
            .Put("address", new Struct(Row.Field("address")!.Schema).Put("city", "Utrecht"));
        return new SinkRecord("orders", 0, null, null, Row, value, i, 1_700_000_000_000 + i, TimestampType.CreateTime);
    })];

    /// <summary>A memory stream the writer may dispose, whose bytes stay readable.</summary>
    private sealed class KeepOpen(MemoryStream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
