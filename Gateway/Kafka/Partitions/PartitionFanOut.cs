namespace Tributary.Gateway.Kafka.Partitions;

/// <summary>
/// The shape of most partition-level requests: one call per partition, all at once, answers grouped back by topic in
/// the order the request listed them.
/// </summary>
public static class PartitionFanOut
{
    public static async Task<List<(TTopic Topic, List<TResult> Results)>> RunAsync<TTopic, TPartition, TResult>(
        IEnumerable<TTopic> topics,
        Func<TTopic, IEnumerable<TPartition>> partitionsOf,
        Func<TTopic, TPartition, Task<TResult>> call)
    {
        var calls = topics.Select(topic => (Topic: topic, Calls: partitionsOf(topic).Select(p => call(topic, p)).ToList())).ToList();
        await Task.WhenAll(calls.SelectMany(t => t.Calls));
        return calls.Select(t => (t.Topic, t.Calls.Select(c => c.Result).ToList())).ToList();
    }
}
