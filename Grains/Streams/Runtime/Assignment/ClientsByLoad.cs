namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// The instances that may take a task, least loaded first (Kafka Streams' <c>ConstrainedPrioritySet</c>): a poll
/// takes out the least loaded instance (by <paramref name="load"/> as it is at the poll, ties by process id) that
/// <paramref name="canTake"/> the task and meets the poll's own condition; the caller offers it back once it has
/// given it the task, so that its new load counts. A handful of instances at most, so a poll looks at each.
/// </summary>
internal sealed class ClientsByLoad(Func<AssignmentClient, double> load, Func<AssignmentClient, Processor.TaskId, bool> canTake)
{
    private readonly List<AssignmentClient> _present = [];

    public void Offer(AssignmentClient client)
    {
        if (!_present.Contains(client))
        {
            _present.Add(client);
        }
    }

    public AssignmentClient? Poll(Processor.TaskId task, Func<AssignmentClient, bool>? also = null)
    {
        AssignmentClient? best = null;
        foreach (var client in _present)
        {
            if (!canTake(client, task) || (also is not null && !also(client)))
            {
                continue;
            }

            if (best is null || load(client) < load(best) || (load(client) == load(best) && client.ProcessId.CompareTo(best.ProcessId) < 0))
            {
                best = client;
            }
        }

        if (best is not null)
        {
            _present.Remove(best);
        }

        return best;
    }
}
