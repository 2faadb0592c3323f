using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// The produce requests of one connection being handled at once (up to a depth), and the order their responses go
/// back in. A request is started only once every earlier request that writes one of its partitions has been handled,
/// so a partition takes a connection's batches in the order sent without relying on the order grain calls are
/// delivered in; requests to other partitions overlap. Each response is written after the one before it. Used by
/// the connection's one request loop, never concurrently.
/// </summary>
internal sealed class ProducePipeline(int depth)
{
    private readonly Queue<Task<bool>> _responses = new();
    private readonly Dictionary<(string Topic, int Partition), Task> _writers = [];
    private Task<bool> _lastResponse = Task.FromResult(true);

    public bool Enabled => depth > 1;

    /// <summary>The partitions a produce request writes.</summary>
    public static List<(string Topic, int Partition)> PartitionsOf(ProduceRequest request) =>
        request.TopicData.SelectMany(t => t.PartitionData.Select(p => (t.Name, p.Index))).ToList();

    /// <summary>
    /// Waits until a request to <paramref name="partitions"/> may start: fewer than the depth of requests are
    /// unanswered, and no earlier request that writes one of them is still being handled. False: an earlier response
    /// failed and the connection is to close.
    /// </summary>
    public async Task<bool> WaitForTurnAsync(IReadOnlyList<(string Topic, int Partition)> partitions)
    {
        while (_responses.Count >= depth)
        {
            if (!await _responses.Dequeue())
            {
                return false;
            }
        }

        foreach (var partition in partitions)
        {
            if (_writers.TryGetValue(partition, out var writer))
            {
                await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        return true;
    }

    /// <summary>
    /// Takes a started request: <paramref name="handling"/> is its handling, which the next requests to its partitions
    /// wait for; <paramref name="respond"/> writes its response once the one before it is written (it is given whether
    /// that succeeded).
    /// </summary>
    public void Add(IReadOnlyList<(string Topic, int Partition)> partitions, Task handling, Func<Task<bool>, Task<bool>> respond)
    {
        if (_writers.Count > 4 * depth + partitions.Count)
        {
            foreach (var done in _writers.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList())
            {
                _writers.Remove(done);
            }
        }

        foreach (var partition in partitions)
        {
            _writers[partition] = handling;
        }

        _lastResponse = respond(_lastResponse);
        _responses.Enqueue(_lastResponse);
    }

    /// <summary>Waits until every request taken so far is answered; false when one failed.</summary>
    public async Task<bool> DrainAsync()
    {
        var succeeded = true;
        while (_responses.Count > 0)
        {
            succeeded &= await _responses.Dequeue();
        }

        _writers.Clear();
        return succeeded;
    }
}
