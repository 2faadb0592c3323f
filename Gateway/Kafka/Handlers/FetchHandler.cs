using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Fetching;
using Tributary.Gateway.Kafka.Metrics;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Fetch (1): whole stored batches from each partition, as the bytes on disk. When less than <c>min.bytes</c> is
/// ready the request waits up to <c>max.wait.ms</c>, each partition's read waiting inside its grain for an append (no
/// polling) and the rest cancelled once enough has arrived. <c>max.bytes</c> bounds the response, except that the
/// first non-empty partition always returns at least its first batch (KIP-74). Incremental fetch sessions (KIP-227)
/// keep a client's partitions between requests so that it sends, and gets back, only what changed. From v13 topics
/// are named by id. v0-v3 read message formats 0 and 1, into which the batches are converted
/// (<see cref="OldFormatFetch"/>), and v0-v2 cut what they return at the partition's limit; they are served while
/// <see cref="KafkaListenerOptions.AcceptOldMessageFormats"/> is on (Kafka 4 serves Fetch from v4). From v16 a
/// partition this broker does not lead, or asked at an older leader epoch, names its current leader (KIP-951).
/// It needs READ on each topic fetched, or CLUSTER_ACTION on the cluster for a follower's fetch (refused partitions are
/// TOPIC_AUTHORIZATION_FAILED, never read).
/// </summary>
public sealed class FetchHandler(
    PartitionRouter router,
    LeaderDiscovery leaders,
    TopicCache topics,
    FetchSessionCache sessions,
    IBrokerConfigs brokerConfigs,
    BrokerAuthorizer authorizer,
    ClientQuotas quotas,
    BrokerTopicMetrics metrics,
    IOptions<KafkaListenerOptions> options,
    ILogger<FetchHandler> logger) : KafkaApiHandler<FetchRequest, FetchResponse>
{
    private const sbyte ReadCommitted = 1;

    /// <summary>The first version that names the fetching replica in <c>ReplicaState</c> rather than <c>ReplicaId</c> (KIP-903).</summary>
    private const short FirstReplicaStateVersion = 15;

    /// <summary>The first version whose answer carries the endpoints of the current leaders it names (KIP-951).</summary>
    private const short FirstLeaderDiscoveryVersion = 16;

    private readonly short _minVersion = options.Value.AcceptOldMessageFormats ? (short)0 : (short)(OldFormatFetch.LastVersion + 1);

    public override ApiKey ApiKey => ApiKey.Fetch;

    public override short MinVersion => _minVersion;

    public override short MaxVersion => 17;

    protected override async Task<FetchResponse?> HandleAsync(FetchRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var byId = request.ApiVersion >= 13;
        var requested = await ResolveAsync(body, byId);
        FetchSession? session = null;
        var incremental = false;
        if (body.SessionId == 0 && body.SessionEpoch == 0)
        {
            session = sessions.Create();
        }
        else if (body.SessionId == 0 && body.SessionEpoch != -1)
        {
            return Failed(ErrorCode.InvalidFetchSessionEpoch, 0);
        }
        else if (body.SessionId != 0)
        {
            if (body.SessionEpoch is -1 or 0)
            {
                sessions.Remove(body.SessionId);
                session = body.SessionEpoch == 0 ? sessions.Create() : null;
            }
            else if (!sessions.TryGet(body.SessionId, out session))
            {
                return Failed(ErrorCode.FetchSessionIdNotFound, 0);
            }
            else if (body.SessionEpoch != session.NextEpoch)
            {
                return Failed(ErrorCode.InvalidFetchSessionEpoch, 0);
            }
            else
            {
                incremental = true;
            }
        }

        var slots = session is null ? requested : await UpdateSessionAsync(session, requested, body, byId, incremental);
        Authorize(slots, body, request);

        // A consumer's quota caps what one response may carry at what the quota allows over its windows, as Kafka
        // does: more would be certain to throttle it, and a response that always throttles would never be sent.
        var follower = IsFollower(body, request);
        var maxBytes = follower ? body.MaxBytes : (int)Math.Min(body.MaxBytes, quotas.MaxFetchBytes(request));
        if (maxBytes < body.MaxBytes)
        {
            slots.ForEach(slot => slot.ReadLimit = Math.Max(1, maxBytes));
        }

        await Task.WhenAll(slots.Where(slot => slot.Error == ErrorCode.None).Select(slot => slot.RouteAsync(router)));
        var readCommitted = body.IsolationLevel == ReadCommitted;
        await Task.WhenAll(slots.Select(slot => slot.ReadAsync(TimeSpan.Zero, readCommitted, CancellationToken.None, logger)));

        var minBytes = Math.Min(Math.Max(1, body.MinBytes), Math.Max(1, maxBytes));
        if (body.MaxWaitMs > 0 && slots.Sum(s => s.Bytes) < minBytes && slots.Any(s => s.IsReadable))
        {
            var waiting = Stopwatch.GetTimestamp();
            await WaitForDataAsync(slots, TimeSpan.FromMilliseconds(body.MaxWaitMs), minBytes, readCommitted, cancellationToken);
            request.AddWaited(Stopwatch.GetElapsedTime(waiting));
        }

        ApplyMaxBytes(slots, maxBytes);
        if (Tracing.RequestTracing.IsRecording)
        {
            Tracing.RequestTracing.TagDestinations(slots.Select(Counted));
        }
        foreach (var slot in slots)
        {
            // Counted before the quota is asked, as Kafka counts a partition once it read it.
            if (Counted(slot) is { } topic)
            {
                metrics.FetchRequested(topic, slot.Error);
            }
        }

        if (!follower && quotas.BoundOf(request, ClientQuotaKeys.ConsumerByteRate) is { } quota)
        {
            // As Kafka: the response's bytes count against the quota; one that takes the consumer over it is not sent
            // (its bytes taken back): an empty answer tells the client how long to wait, and it fetches them again.
            var bytes = slots.Sum(s => (long)s.Bytes);
            var throttle = (int)Math.Min(int.MaxValue, quotas.Fetched.Record(quota, bytes));
            if (throttle > 0)
            {
                quotas.Fetched.Unrecord(quota, bytes);
                slots.ForEach(slot => slot.DropRecords());
                request.Throttle(throttle);
                return ThrottledResponse(session, incremental);
            }
        }

        if (request.ApiVersion <= OldFormatFetch.LastVersion)
        {
            // A refused partition keeps its answer: its topic's configs are not the client's to learn of.
            await OldFormatFetch.ConvertAsync(slots.Where(s => s.Error != ErrorCode.TopicAuthorizationFailed), request.ApiVersion, topics, brokerConfigs);
        }

        foreach (var slot in slots)
        {
            if (Counted(slot) is { } topic)
            {
                metrics.Sent(topic, slot.Bytes, follower);
            }
        }

        var response = BuildResponse(slots, session, incremental, byId);
        if (request.ApiVersion >= FirstLeaderDiscoveryVersion)
        {
            await NameLeadersAsync(response, request.Listener);
        }

        return response;
    }

    /// <summary>
    /// Kafka's checks, on the partitions the response answers (a session's remembered ones too, not only those this
    /// request names): a follower's fetch needs CLUSTER_ACTION on the cluster, a consumer's READ on each topic. A refused
    /// partition is TOPIC_AUTHORIZATION_FAILED before its topic is looked up, so it is neither routed nor read.
    /// </summary>
    private void Authorize(List<FetchSlot> slots, FetchRequest body, KafkaRequest request)
    {
        if (!authorizer.Enabled)
        {
            // Everything is allowed: the hot path spends nothing on the checks.
            return;
        }

        if (IsFollower(body, request))
        {
            // Kafka 3.9 refuses each partition of a follower without CLUSTER_ACTION, a topic id it does not know too.
            if (!authorizer.Authorize(request, AclOperation.ClusterAction, AclResourceType.Cluster, AclBinding.ClusterName))
            {
                slots.ForEach(slot => slot.Refuse(ErrorCode.TopicAuthorizationFailed));
            }

            return;
        }

        // A topic id that names no topic stays UNKNOWN_TOPIC_ID (ids are not secret); each named topic checked once.
        var allowed = authorizer.Allowed(request, AclOperation.Read, AclResourceType.Topic, slots.Select(s => s.Topic).OfType<string>());
        foreach (var slot in slots.Where(s => s.Topic is not null && !BrokerAuthorizer.IsAllowed(allowed, s.Topic)))
        {
            slot.Refuse(ErrorCode.TopicAuthorizationFailed);
        }
    }

    /// <summary>
    /// KIP-951: each partition answered NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH names its current leader, and the
    /// response that leader's endpoint. Kafka fills <c>CurrentLeader</c> (a field since v12) only from v16, with the endpoints.
    /// </summary>
    private async Task NameLeadersAsync(FetchResponse response, string listener)
    {
        var failed = response.Responses
            .SelectMany(t => t.Partitions, (t, p) => (t.Topic, Partition: p.PartitionIndex, Error: (ErrorCode)p.ErrorCode, Response: p))
            .Where(f => f.Error is ErrorCode.NotLeaderOrFollower or ErrorCode.FencedLeaderEpoch)
            .ToList();
        var endpoints = await leaders.NameLeadersAsync(listener, failed, static (partition, leader) =>
            partition.CurrentLeader = new FetchResponse.LeaderIdAndEpoch { LeaderId = leader.LeaderId, LeaderEpoch = leader.LeaderEpoch });
        response.NodeEndpoints = [.. endpoints.Select(e => new FetchResponse.NodeEndpoint { NodeId = e.BrokerId, Host = e.Host, Port = e.Port, Rack = e.Rack })];
    }

    protected override void ResponseWritten(FetchResponse response)
    {
        foreach (var partition in response.Responses.SelectMany(t => t.Partitions))
        {
            if (partition.Records is { } records)
            {
                PooledBuffer.Release(records);
            }
        }
    }

    private async Task<List<FetchSlot>> ResolveAsync(FetchRequest body, bool byId)
    {
        var slots = new List<FetchSlot>();
        foreach (var topic in body.Topics)
        {
            var name = byId ? await topics.NameOfAsync(topic.TopicId) : topic.Topic;
            slots.AddRange(topic.Partitions.Select(p => new FetchSlot(name, topic.TopicId, p.Partition, p.FetchOffset, p.PartitionMaxBytes, p.CurrentLeaderEpoch)));
        }

        return slots;
    }

    /// <summary>Applies a request to its session (new partitions and offsets, forgotten partitions); returns the session's slots.</summary>
    private async Task<List<FetchSlot>> UpdateSessionAsync(FetchSession session, List<FetchSlot> requested, FetchRequest body, bool byId, bool incremental)
    {
        if (incremental)
        {
            foreach (var forgotten in body.ForgottenTopicsData)
            {
                var name = byId ? await topics.NameOfAsync(forgotten.TopicId) : forgotten.Topic;
                foreach (var partition in forgotten.Partitions)
                {
                    session.Partitions.Remove((name ?? "", partition));
                }
            }
        }

        var unknown = new List<FetchSlot>();
        foreach (var slot in requested)
        {
            if (slot.Topic is null)
            {
                unknown.Add(slot);
                continue;
            }

            var key = (slot.Topic, slot.Partition);
            if (!session.Partitions.TryGetValue(key, out var entry))
            {
                session.Partitions[key] = entry = new SessionPartition(slot.Topic, slot.TopicId, slot.Partition);
            }

            entry.FetchOffset = slot.FetchOffset;
            entry.MaxBytes = slot.MaxBytes;
            entry.CurrentLeaderEpoch = slot.CurrentLeaderEpoch;
        }

        session.NextEpoch = incremental ? NextEpoch(body.SessionEpoch) : 1;
        return
        [
            .. session.Partitions.Values.Select(p => new FetchSlot(p.Topic, p.TopicId, p.Partition, p.FetchOffset, p.MaxBytes, p.CurrentLeaderEpoch) { Session = p }),
            .. unknown,
        ];
    }

    /// <summary>
    /// Kafka's delayed fetch: waits until the bytes readable across the partitions reach <paramref name="minBytes"/>
    /// (each partition counted up to its max bytes) or <paramref name="maxWait"/> passes. The partitions answer how many
    /// bytes a read would find, without reading, and each appends wakes its partition's wait; then the partitions that
    /// grew are read once.
    /// </summary>
    private async Task WaitForDataAsync(List<FetchSlot> slots, TimeSpan maxWait, int minBytes, bool readCommitted, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(maxWait);
        var readable = slots.Where(s => s.IsReadable).ToDictionary(s => s, s => s.Bytes);
        var waiting = readable.Keys.ToDictionary(s => s.WaitForMoreAsync(maxWait, readCommitted, readable[s], stop.Token), s => s);
        while (waiting.Count > 0)
        {
            var done = await Task.WhenAny(waiting.Keys);
            var slot = waiting[done];
            waiting.Remove(done);
            readable[slot] = Math.Max(readable[slot], await done);
            if (readable.Sum(r => Math.Min(r.Value, Math.Max(1, (long)r.Key.MaxBytes))) >= minBytes)
            {
                break;
            }

            if (!stop.IsCancellationRequested && readable[slot] < slot.MaxBytes)
            {
                waiting[slot.WaitForMoreAsync(maxWait, readCommitted, readable[slot], stop.Token)] = slot;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(waiting.Keys);
        await Task.WhenAll(readable.Where(r => r.Value > r.Key.Bytes).Select(r => r.Key.ReadAsync(TimeSpan.Zero, readCommitted, CancellationToken.None, logger)));
    }

    /// <summary>KIP-74: the first non-empty partition is always returned; the others only while within max.bytes.</summary>
    private static void ApplyMaxBytes(List<FetchSlot> slots, int maxBytes)
    {
        var budget = (long)maxBytes;
        var first = true;
        foreach (var slot in slots.Where(s => s.Bytes > 0))
        {
            if (!first && slot.Bytes > budget)
            {
                slot.DropRecords();
                continue;
            }

            budget -= slot.Bytes;
            first = false;
        }
    }

    private static FetchResponse BuildResponse(List<FetchSlot> slots, FetchSession? session, bool incremental, bool byId)
    {
        var response = new FetchResponse { SessionId = session?.Id ?? 0 };
        foreach (var group in slots.GroupBy(s => (s.Topic, s.TopicId)))
        {
            var topic = new FetchResponse.FetchableTopicResponse { Topic = group.Key.Topic ?? "", TopicId = byId ? group.Key.TopicId : Guid.Empty };
            foreach (var slot in group)
            {
                var result = slot.Result;
                var partition = new FetchResponse.PartitionData
                {
                    PartitionIndex = slot.Partition,
                    ErrorCode = (short)slot.Error,
                    HighWatermark = result?.HighWatermark ?? -1,
                    LastStableOffset = result?.LastStableOffset ?? -1,
                    LogStartOffset = result?.LogStartOffset ?? -1,
                    AbortedTransactions = result?.AbortedTransactions?.Select(a => new FetchResponse.AbortedTransaction
                    {
                        ProducerId = a.ProducerId,
                        FirstOffset = a.FirstOffset,
                    }).ToList(),
                    Records = result?.Records ?? ReadOnlyMemory<byte>.Empty,
                };
                if (slot.Session is { } entry)
                {
                    var changed = slot.Bytes > 0 || slot.Error != ErrorCode.None
                        || entry.LastHighWatermark != partition.HighWatermark
                        || entry.LastStableOffset != partition.LastStableOffset
                        || entry.LastLogStartOffset != partition.LogStartOffset;
                    entry.LastHighWatermark = partition.HighWatermark;
                    entry.LastStableOffset = partition.LastStableOffset;
                    entry.LastLogStartOffset = partition.LogStartOffset;
                    if (incremental && !changed)
                    {
                        continue;
                    }
                }

                topic.Partitions.Add(partition);
            }

            if (topic.Partitions.Count > 0)
            {
                response.Responses.Add(topic);
            }
        }

        return response;
    }

    /// <summary>
    /// Kafka's throttled answer: no partitions, only the session an incremental fetch goes on with; a session this
    /// request would have created is not kept (the client starts a new one with its next full fetch).
    /// </summary>
    private FetchResponse ThrottledResponse(FetchSession? session, bool incremental)
    {
        if (session is not null && !incremental)
        {
            sessions.Remove(session.Id);
            return new FetchResponse();
        }

        return new FetchResponse { SessionId = session?.Id ?? 0 };
    }

    internal static bool IsFollower(FetchRequest body, KafkaRequest request) =>
        (request.ApiVersion >= FirstReplicaStateVersion ? body.ReplicaState?.ReplicaId ?? -1 : body.ReplicaId) >= 0;

    /// <summary>
    /// The topic of a partition the fetch reached, for the metrics; null for one the client may not read or that does not
    /// exist, which Kafka never looks up either (so that names a client makes up add no series).
    /// </summary>
    private static string? Counted(FetchSlot slot) =>
        slot.Error is ErrorCode.TopicAuthorizationFailed or ErrorCode.UnknownTopicOrPartition or ErrorCode.UnknownTopicId ? null : slot.Topic;

    private static FetchResponse Failed(ErrorCode error, int sessionId) => new() { ErrorCode = (short)error, SessionId = sessionId };

    private static int NextEpoch(int epoch) => epoch == int.MaxValue ? 1 : epoch + 1;
}
