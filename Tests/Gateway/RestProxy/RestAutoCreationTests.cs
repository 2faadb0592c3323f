using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// API v2 produce to a topic that does not exist, as Confluent's quickstart does (it produces to <c>jsontest</c> without
/// creating it): the topic is created when the broker's <c>auto.create.topics.enable</c> allows it, with its
/// <c>num.partitions</c>, both dynamic broker configs read at the time of the request; 40401 when creation is off.
/// </summary>
public sealed class RestAutoCreationTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly object OneRecord = new { records = new[] { new { value = new { n = 1 } } } };

    [Fact]
    public async Task TheQuickstartsProduce_ToATopicThatDoesNotExist_CreatesItWithTheBrokersNumPartitions()
    {
        using var rest = new RestClient(broker.RestUrl);
        broker.SetClusterDefault("num.partitions", "3");
        try
        {
            var produced = await rest.ProduceAsync("/topics/jsontest", "json", new { records = new[] { new { key = "k", value = new { foo = "bar" } } } });
            var toPartition = await rest.ProduceAsync("/topics/jsontest-by-partition/partitions/2", "json", OneRecord);

            Assert.Equal(200, produced.Status);
            Assert.Null(produced.Body!["offsets"]![0]!["error_code"]);
            Assert.Equal((200, 2), (toPartition.Status, toPartition.Body!["offsets"]![0]!["partition"]!.GetValue<int>()));
        }
        finally
        {
            broker.DeleteClusterDefault("num.partitions");
        }

        Assert.Equal(3, (await rest.GetAsync("/topics/jsontest")).Body!["partitions"]!.AsArray().Count);
        Assert.Equal(3, (await rest.GetAsync("/topics/jsontest-by-partition")).Body!["partitions"]!.AsArray().Count);
        var offsets = (await rest.GetAsync("/topics/jsontest-by-partition/partitions/2/offsets")).Body!;
        Assert.Equal(1, offsets["end_offset"]!.GetValue<long>());
    }

    [Fact]
    public async Task WithAutoCreationOff_AProduceToATopicThatDoesNotExist_Is40401_AndCreatesNothing()
    {
        using var rest = new RestClient(broker.RestUrl);
        broker.SetClusterDefault("auto.create.topics.enable", "false");
        try
        {
            var toTopic = await rest.ProduceAsync("/topics/never-created", "json", OneRecord);
            var toPartition = await rest.ProduceAsync("/topics/never-created/partitions/0", "binary", new { records = new[] { new { value = "AQI=" } } });

            Assert.Equal((404, 40401), (toTopic.Status, RestClient.ErrorCode(toTopic)));
            Assert.Equal((404, 40401), (toPartition.Status, RestClient.ErrorCode(toPartition)));
        }
        finally
        {
            broker.DeleteClusterDefault("auto.create.topics.enable");
        }

        Assert.Equal(40401, RestClient.ErrorCode(await rest.GetAsync("/topics/never-created")));
    }

    [Fact]
    public async Task AProduceToAnIllegalTopicName_FailsEachRecordAsConfluentsProducerDoes_AndCreatesNothing()
    {
        using var rest = new RestClient(broker.RestUrl);
        var name = new string('x', 250);

        var produced = await rest.ProduceAsync($"/topics/{name}", "json", new { records = new[] { new { value = 1 }, new { value = 2 } } });

        Assert.Equal(200, produced.Status);
        Assert.All(produced.Body!["offsets"]!.AsArray(), offset =>
        {
            Assert.Equal(50002, offset!["error_code"]!.GetValue<int>());
            Assert.Equal($"Invalid topics: [{name}]", offset["error"]!.GetValue<string>());
            Assert.Null(offset["offset"]);
        });
        Assert.DoesNotContain(name, (await rest.GetAsync("/topics")).Body!.AsArray().Select(t => t!.GetValue<string>()));
    }
}
