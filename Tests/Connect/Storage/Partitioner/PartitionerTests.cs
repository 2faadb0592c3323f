using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Partitioner;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Storage.Partitioner;

/// <summary>The partitioners of Confluent's storage connectors: the directories each puts a record under.</summary>
public sealed class PartitionerTests
{
    private static readonly ConnectSchema Order = SchemaBuilder.Struct().WithName("order")
        .Field("id", ConnectSchema.Int64)
        .Field("region", ConnectSchema.String)
        .Field("priority", ConnectSchema.Int8)
        .Field("paid", ConnectSchema.Boolean)
        .Field("amount", ConnectSchema.Float64)
        .Field("created", LogicalTypes.Timestamp().Build())
        .Field("created_ms", ConnectSchema.Int64)
        .Field("created_text", ConnectSchema.OptionalString)
        .Field("customer", SchemaBuilder.Struct().Field("country", ConnectSchema.String).Build())
        .Build();

    // 2024-03-10 07:30:15.250 UTC: Saturday 9 March, 23:30 in Los Angeles (PST, the night before DST begins).
    private static readonly DateTime Created = new(2024, 3, 10, 7, 30, 15, 250, DateTimeKind.Utc);
    private static readonly long CreatedMs = new DateTimeOffset(Created).ToUnixTimeMilliseconds();

    [Fact]
    public void Default_IsTheKafkaPartition_UnderTheTopic()
    {
        var partitioner = Partitioners.Create(new Dictionary<string, string>());

        var encoded = partitioner.EncodePartition(Record(partition: 3), 0);

        Assert.IsType<DefaultPartitioner>(partitioner);
        Assert.Equal("partition=3", encoded);
        Assert.Equal("orders/partition=3", partitioner.GeneratePartitionedPath("orders", encoded));
        Assert.Equal(["partition"], partitioner.PartitionFields);
    }

    [Fact]
    public void Default_RecordsOfPartitionsInTurn_EachGetTheirOwnPartition()
    {
        var partitioner = Partitioners.Create(new Dictionary<string, string>());

        var encoded = new[] { 0, 0, 1, 0, 12, 12, 1 }.Select(p => partitioner.EncodePartition(Record(partition: p), 0)).ToList();

        Assert.Equal(["partition=0", "partition=0", "partition=1", "partition=0", "partition=12", "partition=12", "partition=1"], encoded);
        Assert.Same(encoded[0], encoded[1]); // a run of one partition's records shares its string
    }

    [Fact]
    public void Field_NamesEachValue_InTheOrderGiven_NestedFieldsByDots()
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "io.confluent.connect.storage.partitioner.FieldPartitioner"),
            ("partition.field.name", "region, paid,priority,customer.country")));

        Assert.Equal("region=eu-west/paid=true/priority=-2/customer.country=NL", partitioner.EncodePartition(Record(), 0));
        Assert.Equal(["region", "paid", "priority", "customer.country"], partitioner.PartitionFields);
    }

    [Fact]
    public void Field_OfASchemalessMap_IsReadByName()
    {
        var partitioner = Partitioners.Create(Settings(("partitioner.class", "FieldPartitioner"), ("partition.field.name", "region")));
        var record = new SinkRecord("orders", 0, null, null, null, new Dictionary<string, object?> { ["region"] = "us", ["id"] = 1L }, 0);

        Assert.Equal("region=us", partitioner.EncodePartition(record, 0));
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("created")]
    [InlineData("missing")]
    public void Field_OfAnotherType_OrNotThere_CannotBePlaced(string field)
    {
        var partitioner = Partitioners.Create(Settings(("partitioner.class", "FieldPartitioner"), ("partition.field.name", field)));

        Assert.Throws<PartitionException>(() => partitioner.EncodePartition(Record(), 0));
    }

    [Fact]
    public void Field_OfAValueThatIsNotAStruct_CannotBePlaced()
    {
        var partitioner = Partitioners.Create(Settings(("partitioner.class", "FieldPartitioner"), ("partition.field.name", "region")));
        var record = new SinkRecord("orders", 0, null, null, ConnectSchema.String, "plain text", 0);

        Assert.Throws<PartitionException>(() => partitioner.EncodePartition(record, 0));
    }

    [Fact]
    public void Hourly_InUtc_FilesUnderTheRecordsHour()
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "io.confluent.connect.storage.partitioner.HourlyPartitioner"),
            ("locale", "en-US"), ("timezone", "UTC"), ("timestamp.extractor", "Record")));

        Assert.Equal("year=2024/month=03/day=10/hour=07", partitioner.EncodePartition(Record(timestamp: CreatedMs), 0));
        Assert.Equal(["year", "month", "day", "hour"], partitioner.PartitionFields);
    }

    [Fact]
    public void Daily_CountsDaysInTheTimezone_FromLocalMidnight()
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "DailyPartitioner"), ("locale", "en_US"), ("timezone", "America/Los_Angeles"),
            ("timestamp.extractor", "RecordField"), ("timestamp.field", "created")));

        Assert.Equal("year=2024/month=03/day=09", partitioner.EncodePartition(Record(), 0));
    }

    [Fact]
    public void TimeBased_BucketsOfTheDuration_WrittenWithThePathFormat()
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner"),
            ("partition.duration.ms", "900000"), ("path.format", "'dt'=YYYY-MM-dd/'time'=HHmm/"),
            ("locale", "en"), ("timezone", "Europe/Paris"), ("timestamp.extractor", "RecordField"), ("timestamp.field", "created_ms")));

        // 07:30:15 UTC is 08:30:15 in Paris (CET): the quarter hour starting 08:30; the trailing delimiter is dropped.
        Assert.Equal("dt=2024-03-10/time=0830", partitioner.EncodePartition(Record(), 0));
        Assert.Equal(["dt", "time"], partitioner.PartitionFields);
    }

    [Theory]
    [InlineData("Wallclock", "2001-09-09 01")]
    [InlineData("io.confluent.connect.storage.partitioner.TimeBasedPartitioner$WallclockTimestampExtractor", "2001-09-09 01")]
    [InlineData("Record", "2024-03-10 07")]
    [InlineData("io.confluent.connect.storage.partitioner.TimeBasedPartitioner$RecordFieldTimestampExtractor", "2024-03-10 07")]
    public void TheTimestampExtractor_ChoosesTheTime(string extractor, string expected)
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "TimeBasedPartitioner"), ("partition.duration.ms", "3600000"), ("path.format", "YYYY-MM-dd HH"),
            ("locale", "en-US"), ("timezone", "UTC"), ("timestamp.extractor", extractor), ("timestamp.field", "created")));

        Assert.Equal(expected, partitioner.EncodePartition(Record(timestamp: CreatedMs), 1_000_000_000_000));
    }

    [Theory]
    [InlineData("2024-03-10T07:30:15.250Z", "07")]
    [InlineData("2024-03-10T09:30:15+02:00", "07")]
    [InlineData("2024-03-10T07:30:15", "07")]
    [InlineData("2024-03-10", "00")]
    public void ARecordFieldOfIsoText_IsParsed(string text, string hour)
    {
        var partitioner = Hourly(("timestamp.extractor", "RecordField"), ("timestamp.field", "created_text"));

        Assert.Equal($"year=2024/month=03/day=10/hour={hour}", partitioner.EncodePartition(Record(createdText: text), 0));
    }

    [Fact]
    public void ARecordWithoutTheTime_CannotBePlaced()
    {
        Assert.Throws<PartitionException>(() => Hourly(("timestamp.extractor", "Record")).EncodePartition(Record(timestamp: null), 0));
        Assert.Throws<PartitionException>(() =>
            Hourly(("timestamp.extractor", "RecordField"), ("timestamp.field", "created_text")).EncodePartition(Record(createdText: null), 0));
        Assert.Throws<PartitionException>(() =>
            Hourly(("timestamp.extractor", "RecordField"), ("timestamp.field", "region")).EncodePartition(Record(), 0));
        Assert.Throws<PartitionException>(() =>
            Hourly(("timestamp.extractor", "RecordField"), ("timestamp.field", "priority")).EncodePartition(Record(), 0));
    }

    [Theory]
    [InlineData("locale", "", "Locale cannot be empty.")]
    [InlineData("timezone", "", "Timezone cannot be empty.")]
    [InlineData("timezone", "Mars/Olympus_Mons", "is not recognised")]
    [InlineData("timestamp.extractor", "Sundial", "Invalid timestamp extractor")]
    [InlineData("path.format", "", "Path format cannot be empty.")]
    [InlineData("path.format", "'year'=YYYY/'week'=ww/'q'=Q", "Illegal pattern component: Q")]
    [InlineData("partition.duration.ms", "-1", "Partition duration needs to be a positive.")]
    [InlineData("partitioner.class", "com.example.MoonPartitioner", "Class not found")]
    public void ABadSetting_IsAConfigException_NamingIt(string name, string value, string message)
    {
        var settings = Settings(
            ("partitioner.class", "TimeBasedPartitioner"), ("partition.duration.ms", "3600000"), ("path.format", "'hour'=HH"),
            ("locale", "en-US"), ("timezone", "UTC"));
        settings[name] = value;

        var error = Assert.Throws<ConfigException>(() => Partitioners.Create(settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Invalid value {value} for configuration {name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALocale_WhoseNamesThePathFormatWouldNeed_IsRefused_WhileNumbersWorkInAny()
    {
        Dictionary<string, string> Daily(string format) => Settings(
            ("partitioner.class", "TimeBasedPartitioner"), ("partition.duration.ms", "86400000"), ("path.format", format),
            ("locale", "fr_FR"), ("timezone", "UTC"), ("timestamp.extractor", "Record"));

        Assert.Equal("dt=2024-03-10", Partitioners.Create(Daily("'dt'=YYYY-MM-dd")).EncodePartition(Record(timestamp: CreatedMs), 0));
        if (!HasCultureData())
        {
            Assert.Throws<ConfigException>(() => Partitioners.Create(Daily("'month'=MMMM")));
        }
        else
        {
            Assert.Equal("month=mars", Partitioners.Create(Daily("'month'=MMMM")).EncodePartition(Record(timestamp: CreatedMs), 0));
        }
    }

    [Fact]
    public void APathFormatThatIsNotHiveStyle_FormatsPaths_ButHasNoPartitionColumns()
    {
        var partitioner = Partitioners.Create(Settings(
            ("partitioner.class", "TimeBasedPartitioner"), ("partition.duration.ms", "86400000"), ("path.format", "YYYY/MM/dd"),
            ("locale", "en-US"), ("timezone", "UTC"), ("timestamp.extractor", "Record")));

        Assert.Equal("2024/03/10", partitioner.EncodePartition(Record(timestamp: CreatedMs), 0));
        Assert.Throws<ConfigException>(() => partitioner.PartitionFields);
    }

    [Fact]
    public void TheDirectoryDelimiter_SeparatesEveryLevel()
    {
        var hourly = Hourly(("timestamp.extractor", "Record"), ("directory.delim", "#"));

        Assert.Equal("year=2024#month=03#day=10#hour=07", hourly.EncodePartition(Record(timestamp: CreatedMs), 0));
        Assert.Equal("orders#year=2024#month=03#day=10#hour=07", hourly.GeneratePartitionedPath("orders", "year=2024#month=03#day=10#hour=07"));
    }

    [Theory]
    [InlineData(-1L, 3_600_000L, 0L)] // Java's division rounds towards zero: just before 1970 is the bucket of 1970
    [InlineData(3_599_999L, 3_600_000L, 0L)]
    [InlineData(3_600_000L, 3_600_000L, 3_600_000L)]
    public void TheBucket_IsTheTimestampRoundedDown_AsConfluentComputesIt(long timestamp, long duration, long start) =>
        Assert.Equal(start, TimeBasedPartitioner.BucketStart(duration, timestamp, TimeZoneInfo.Utc));

    private static Grains.Connect.Storage.Partitioner.Partitioner Hourly(params (string Key, string Value)[] extra) =>
        Partitioners.Create(Settings([("partitioner.class", "HourlyPartitioner"), ("locale", "en-US"), ("timezone", "UTC"), .. extra]));

    private static bool HasCultureData()
    {
        try
        {
            return CultureInfo.GetCultureInfo("fr-FR", predefinedOnly: true).DateTimeFormat.GetMonthName(3) == "mars";
        }
        catch (CultureNotFoundException)
        {
            return false; // globalization-invariant mode
        }
    }

    private static Dictionary<string, string> Settings(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => s.Value);

    private static SinkRecord Record(int partition = 0, long? timestamp = 0, string? createdText = "2024-03-10T07:30:15Z")
    {
        var value = new Struct(Order).Put("id", 42L).Put("region", "eu-west").Put("priority", (sbyte)-2).Put("paid", true).Put("amount", 9.5)
            .Put("created", Created).Put("created_ms", CreatedMs).Put("created_text", createdText)
            .Put("customer", new Struct(Order.Field("customer")!.Schema).Put("country", "NL"));
        return new SinkRecord("orders", partition, null, null, Order, value, 7, timestamp, TimestampType.CreateTime);
    }
}
