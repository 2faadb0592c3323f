using System.Diagnostics;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// A consumer instance's records request waits its whole <c>timeout</c>, even past a grain call's default timeout (cut
/// to 5 s here), and answers with the records that arrived meanwhile.
/// </summary>
public sealed class RestLongPollTests(ShortCallTimeoutBroker broker) : IClassFixture<ShortCallTimeoutBroker>
{
    [Fact]
    public async Task ARecordsRequest_WaitsPastTheDefaultCallTimeout_ForTheFirstRecord()
    {
        await broker.CreateAsync("rest-long-poll", 1);
        using var rest = new RestClient(broker.RestUrl);
        var created = await rest.SendAsync(HttpMethod.Post, "/consumers/rest-long-poll-group", new Dictionary<string, string> { ["name"] = "patient", ["format"] = "binary" });
        var instance = new Uri(created.Body!["base_uri"]!.GetValue<string>()).AbsolutePath;
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/assignments", new { partitions = new[] { new { topic = "rest-long-poll", partition = 0 } } })).Status);

        var clock = Stopwatch.StartNew();
        var polling = rest.GetAsync($"{instance}/records?timeout=30000", "application/vnd.kafka.binary.v2+json");
        await Task.Delay(ShortCallTimeoutBroker.DefaultCallTimeout + TimeSpan.FromSeconds(1.5));
        Assert.False(polling.IsCompleted, "the poll was answered before anything arrived");
        await PartitionGrainKey.Get(broker.Grains, "rest-long-poll", 0).AppendAsync(Batches.Make(2));
        var polled = await polling.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(200, polled.Status);
        Assert.Equal(2, polled.Body!.AsArray().Count);
        Assert.InRange(clock.Elapsed, ShortCallTimeoutBroker.DefaultCallTimeout, TimeSpan.FromSeconds(29));
    }
}
