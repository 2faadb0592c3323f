using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Jdbc.Schema;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>PostgreSQL's column types as Connect schemas and values, as kafka-connect-jdbc maps them.</summary>
public sealed class PostgresTypeMappingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private async Task<Struct> ReadOneRowAsync(string columns, string values, params (string Key, string Value)[] extra)
    {
        var (url, connection) = await postgres.NewDatabaseAsync();
        await using (connection)
        {
            await using var create = new Npgsql.NpgsqlCommand($"CREATE TABLE t (id SERIAL PRIMARY KEY, {columns}); INSERT INTO t VALUES (DEFAULT, {values})", connection);
            await create.ExecuteNonQueryAsync();
        }

        var config = new Dictionary<string, string> { ["connection.url"] = url, ["mode"] = "incrementing", ["topic.prefix"] = "pg-" };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        await using var task = await SourceTaskHarness.StartAsync(config);
        var records = await task.PollAtLeastAsync(1);
        var row = (Struct)Assert.Single(records).Value!;
        Assert.Equal("t", row.Schema.Name);
        return row;
    }

    [Fact]
    public async Task EveryMappedType_HasKafkaConnectJdbcsSchemaAndValue()
    {
        var row = await ReadOneRowAsync(
            "b BOOLEAN NOT NULL, s SMALLINT, i INTEGER NOT NULL, l BIGINT, r REAL, d DOUBLE PRECISION, n NUMERIC(12,3), " +
            "v VARCHAR(20), c CHAR(3), tx TEXT, by BYTEA, dt DATE, tm TIME, ts TIMESTAMP, tz TIMESTAMPTZ, u UUID, j JSON, jb JSONB, " +
            "nothing TEXT",
            "TRUE, -12, 123456, 9000000000, 1.5, 2.25, 123456789.125, 'varchar', 'abc', 'text', '\\x0102ff', '2024-02-29', " +
            "'13:45:30.123', '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.5+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', " +
            "'{\"a\": 1}', '{\"b\": 2}', NULL");

        Schema Field(string name) => row.Schema.Field(name)!.Schema;
        Assert.Equal(SchemaType.Boolean, Field("b").Type);
        Assert.False(Field("b").IsOptional);
        Assert.True(Field("s").IsOptional);
        Assert.Equal(true, row.Get("b"));
        Assert.Equal((short)-12, row.Get("s"));
        Assert.Equal(123456, row.Get("i"));
        Assert.Equal(9000000000L, row.Get("l"));
        Assert.Equal(1.5f, row.Get("r"));
        Assert.Equal(2.25, row.Get("d"));
        Assert.Equal(LogicalTypes.DecimalName, Field("n").Name);
        Assert.Equal("3", Field("n").Parameters!["scale"]);
        Assert.Equal("12", Field("n").Parameters![ResultSchema.DecimalPrecisionParameter]);
        Assert.Equal(123456789.125m, row.Get("n"));
        Assert.Equal("varchar", row.Get("v"));
        Assert.Equal("abc", row.Get("c"));
        Assert.Equal("text", row.Get("tx"));
        Assert.Equal(new byte[] { 1, 2, 0xff }, row.Get("by"));
        Assert.Equal(LogicalTypes.DateName, Field("dt").Name);
        Assert.Equal(new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc), row.Get("dt"));
        Assert.Equal(LogicalTypes.TimeName, Field("tm").Name);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(((13 * 60 + 45) * 60 + 30) * 1000 + 123), row.Get("tm"));
        Assert.Equal(LogicalTypes.TimestampName, Field("ts").Name);
        Assert.Equal(new DateTime(2024, 2, 29, 13, 45, 30, 123, DateTimeKind.Utc).AddTicks(4560), row.Get("ts"));
        Assert.Equal(new DateTime(2024, 2, 29, 11, 45, 30, 500, DateTimeKind.Utc), row.Get("tz"));
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", row.Get("u"));
        Assert.Equal("{\"a\": 1}", row.Get("j"));
        Assert.Equal("{\"b\": 2}", row.Get("jb"));
        Assert.Null(row.Get("nothing"));
    }

    [Fact]
    public async Task TimestampWithoutTimeZone_IsReadInDbTimezone()
    {
        var row = await ReadOneRowAsync("ts TIMESTAMP", "'2024-07-01 12:00:00'", ("db.timezone", "America/New_York"));

        Assert.Equal(new DateTime(2024, 7, 1, 16, 0, 0, DateTimeKind.Utc), row.Get("ts"));
    }

    [Fact]
    public async Task ColumnsDeclaredNotNull_AreRequiredFieldsWithTheirValues()
    {
        var row = await ReadOneRowAsync(
            "s SMALLINT NOT NULL, l BIGINT NOT NULL, r REAL NOT NULL, d DOUBLE PRECISION NOT NULL, tx TEXT NOT NULL, " +
            "ts TIMESTAMP NOT NULL, tz TIMESTAMPTZ NOT NULL",
            "7, -9000000000, 0.25, -1.5, 'required', '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.5+02'",
            ("db.timezone", "America/New_York"));

        Assert.All(row.Schema.Fields.Where(f => f.Name != "id"), f => Assert.False(f.Schema.IsOptional, f.Name));
        Assert.Equal((short)7, row.Get("s"));
        Assert.Equal(-9000000000L, row.Get("l"));
        Assert.Equal(0.25f, row.Get("r"));
        Assert.Equal(-1.5, row.Get("d"));
        Assert.Equal("required", row.Get("tx"));
        Assert.Equal(new DateTime(2024, 2, 29, 18, 45, 30, 123, DateTimeKind.Utc).AddTicks(4560), row.Get("ts"));
        Assert.Equal(new DateTime(2024, 2, 29, 11, 45, 30, 500, DateTimeKind.Utc), row.Get("tz"));
    }

    [Fact]
    public async Task NullInAColumnDeclaredNotNull_ThroughAnOuterJoin_IsRefusedAsARequiredFieldsNull()
    {
        // The driver reports a joined column's nullability from its table, so the field is required, as with pgjdbc.
        var (url, connection) = await postgres.NewDatabaseAsync();
        await using (connection)
        {
            await using var create = new Npgsql.NpgsqlCommand(
                "CREATE TABLE parent (id INT PRIMARY KEY); CREATE TABLE child (id INT PRIMARY KEY, at TIMESTAMP NOT NULL); " +
                "INSERT INTO parent VALUES (1)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var task = await SourceTaskHarness.StartAsync(new Dictionary<string, string>
        {
            ["connection.url"] = url, ["mode"] = "bulk", ["topic.prefix"] = "joined",
            ["query"] = "SELECT p.id, c.at FROM parent p LEFT JOIN child c ON c.id = p.id",
        });

        var error = await Assert.ThrowsAsync<DataException>(() => task.PollAsync());
        Assert.Contains("null used for required field", error.Message);
        Assert.Contains("at", error.Message);
    }

    [Theory]
    [InlineData("none", "NUMERIC(5,0)", SchemaType.Bytes)]
    [InlineData("precision_only", "NUMERIC(5,0)", SchemaType.Int32)]
    [InlineData("precision_only", "NUMERIC(2,0)", SchemaType.Int8)]
    [InlineData("precision_only", "NUMERIC(4,0)", SchemaType.Int16)]
    [InlineData("precision_only", "NUMERIC(18,0)", SchemaType.Int64)]
    [InlineData("precision_only", "NUMERIC(19,0)", SchemaType.Bytes)]
    [InlineData("precision_only", "NUMERIC(8,2)", SchemaType.Bytes)]
    [InlineData("best_fit", "NUMERIC(8,2)", SchemaType.Float64)]
    [InlineData("best_fit", "NUMERIC(30,2)", SchemaType.Bytes)]
    [InlineData("best_fit_eager_double", "NUMERIC(30,2)", SchemaType.Float64)]
    [InlineData("best_fit", "NUMERIC", SchemaType.Float64)]
    public async Task NumericMapping_ChoosesTheTypeByPrecisionAndScale(string mapping, string type, SchemaType expected)
    {
        var row = await ReadOneRowAsync($"n {type}", "42", ("numeric.mapping", mapping));

        Assert.Equal(expected, row.Schema.Field("n")!.Schema.Type);
        Assert.Equal(42.0, Convert.ToDouble(row.Get("n") is decimal d ? d : row.Get("n"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
