using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// What the exactly-once Connect cluster tests share: the silos' settings, the worker a connector's task runs on,
/// and a whole topic's records for a failure's diagnosis.
/// </summary>
internal static class ExactlyOnceConnect
{
    /// <summary>Workers that run sources exactly once; topics with two replicas, one enough in sync.</summary>
    public static Dictionary<string, string> SiloSettings() => new()
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Tributary__Cluster__AutoBalance"] = "false",
        ["Tributary__DefaultReplicationFactor"] = "2",
        ["Tributary__MinInSyncReplicas"] = "1",
        ["Tributary__Connect__ExactlyOnceSourceSupport"] = "enabled",
    };

    /// <summary>Every record of a topic, with "partition@offset key = value", for a failure's diagnosis.</summary>
    public static List<(string? Value, string Text)> Dump(string bootstrap, string topic, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "dump-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = isolation,
            EnablePartitionEof = true,
        }).Build();
        // Assigned, not subscribed: a group's first rebalance would outlast the idle limit below.
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
            consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        }

        var records = new List<(string?, string)>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var idle = 0;
        while (DateTime.UtcNow < deadline && idle < 25)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null || result.IsPartitionEOF)
            {
                idle++;
                continue;
            }

            records.Add((result.Message.Value, $"{result.Partition.Value}@{result.Offset.Value} {result.Message.Key} = {result.Message.Value}"));
        }

        return records;
    }

    /// <summary>The worker the connector's task 0 reports RUNNING on (other than <paramref name="not"/>).</summary>
    public static async Task<string> WorkerOfTaskAsync(HttpClient http, string connector, TimeSpan timeout, string? not = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = JsonNode.Parse(await http.GetStringAsync($"/connectors/{connector}/status"))!;
                last = status.ToJsonString();
                if (status["tasks"]!.AsArray().FirstOrDefault() is { } task && task["state"]!.GetValue<string>() == "RUNNING" &&
                    task["worker_id"]!.GetValue<string>() != not)
                {
                    return task["worker_id"]!.GetValue<string>();
                }
            }
            catch (HttpRequestException)
            {
                // The connector's grain may have been on the silo that died: the call fails until it is activated elsewhere.
            }

            await Task.Delay(100);
        }

        Assert.Fail($"task 0 of {connector} not RUNNING elsewhere than {not} within {timeout.TotalSeconds} s; last status {last}");
        return "";
    }
}
