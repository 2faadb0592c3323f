using Tributary.Grains.Connect.Storage.Sink;

namespace Tributary.Tests.Connect.Storage.Sink;

/// <summary>The connector's validation, as the REST API's <c>config/validate</c> shows it: each error on the key at fault.</summary>
public sealed class StorageSinkConnectorTests
{
    [Theory]
    [InlineData("store.url", "hdfs://namenode:8020", "store.url", "stores are not served yet")]
    [InlineData("format.class", "io.confluent.connect.hdfs.orc.OrcFormat", "format.class", "ORC files are not written here")]
    [InlineData("hive.integration", "true", "schema.compatibility", "Hive Integration requires schema compatibility")]
    [InlineData("partitioner.class", "TimeBasedPartitioner", "partition.duration.ms", "Partition duration needs to be a positive")]
    [InlineData("rotate.schedule.interval.ms", "60000", "timezone", "Timezone cannot be empty")]
    public void AConfigurationTheKeysOnlyTogetherRefuse_IsReportedOnTheKeyAtFault(string key, string value, string faulty, string message)
    {
        var config = new Dictionary<string, string> { ["store.url"] = "file:///tmp/lake", ["flush.size"] = "10", [key] = value };

        var values = new StorageSinkConnector().Validate(config);

        Assert.Contains(values.Single(v => v.Name == faulty).ErrorMessages, m => m.Contains(message, StringComparison.Ordinal));
        Assert.All(values.Where(v => v.Name != faulty), v => Assert.Empty(v.ErrorMessages));
    }

    [Fact]
    public void AValidConfiguration_HasNoErrors() =>
        Assert.All(new StorageSinkConnector().Validate(new Dictionary<string, string>
        {
            ["store.url"] = "file:///tmp/lake", ["flush.size"] = "10", ["partitioner.class"] = "HourlyPartitioner",
            ["locale"] = "en", ["timezone"] = "UTC", ["format.class"] = "io.confluent.connect.hdfs.parquet.ParquetFormat",
        }), v => Assert.Empty(v.ErrorMessages));

    [Fact]
    public void AMissingFlushSize_IsReportedOnIt() =>
        Assert.NotEmpty(new StorageSinkConnector().Validate(new Dictionary<string, string> { ["store.url"] = "file:///tmp/lake" })
            .Single(v => v.Name == StorageSinkConfig.FlushSizeConfig).ErrorMessages);
}
