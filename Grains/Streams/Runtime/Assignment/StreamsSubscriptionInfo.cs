using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Grains.Streams.Runtime.Assignment;

/// <summary>
/// What a stream thread tells the leader beside its topics and owned partitions, in the subscription's user data
/// (Kafka Streams' <c>SubscriptionInfo</c>, in a format of our own): its instance's process id (threads of one
/// instance form one client of the assignment), the instance's <c>application.server</c>, and the task offset sums
/// of the instance's local state (<see cref="TaskOffsetSums"/>). Versioned, so that a later leader can read it.
/// </summary>
internal sealed record StreamsSubscriptionInfo(Guid ProcessId, string? ApplicationServer, IReadOnlyDictionary<TaskId, long> TaskOffsetSums)
{
    public const short Version = 1;

    public byte[] ToBytes() => new ProtocolWriter()
        .Int16(Version)
        .String(ProcessId.ToString("D"))
        .String(ApplicationServer)
        .Array(TaskOffsetSums.OrderBy(t => t.Key).ToList(), (w, t) => w.Int32(t.Key.Subtopology).Int32(t.Key.Partition).Int64(t.Value))
        .ToArray();

    public static StreamsSubscriptionInfo Read(byte[]? bytes)
    {
        var r = new ProtocolReader(bytes ?? throw new InvalidDataException("A stream thread's subscription carries no user data"));
        var version = r.Int16();
        if (version != Version)
        {
            throw new InvalidDataException($"Subscription user data of version {version}; this leader reads version {Version}");
        }

        var process = Guid.ParseExact(r.RequiredString(), "D");
        var server = r.String();
        var sums = r.Array(t => (new TaskId(t.Int32(), t.Int32()), t.Int64())).ToDictionary(t => t.Item1, t => t.Item2);
        return new StreamsSubscriptionInfo(process, server, sums);
    }
}
