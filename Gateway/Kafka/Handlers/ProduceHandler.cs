using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.KafkaFormats.Records.Legacy;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Produce (0): each partition's record batches go to its partition grain as the bytes the producer sent, one call
/// per partition, all partitions of a request at once. acks=0 gets no response (a failure closes the connection, as
/// in Kafka); acks=1 and acks=all are answered when the partition has appended (and, for durable topics, fsynced),
/// which with one replica is the same thing.
/// Each partition's slice of the request frame is handed over to its partition (<see cref="TransferredRecords"/>),
/// which rewrites it in place: a batch is copied once in this process, when the frame is read from the connection.
/// <para>v0-v2 carry message sets of magic 0 and 1 (or, from some clients, a record batch): they are converted to one
/// record batch here (<see cref="RecordUpConverter"/>), with Kafka's checks, so that the partition sees magic 2 only.
/// With <see cref="KafkaListenerOptions.AcceptOldMessageFormats"/> off they are refused with UNSUPPORTED_VERSION,
/// yet still advertised, as Kafka 4 does: librdkafka before 2.8 turns compression off when Produce does not start at
/// v0.</para>
/// <para>From v10 a partition this broker does not lead names its current leader (KIP-951).</para>
/// <para>It needs WRITE on each topic (TOPIC_AUTHORIZATION_FAILED, before the topic is looked up) and, for transactional
/// records, WRITE on the transactional id (else every partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED).</para>
/// </summary>
public sealed partial class ProduceHandler(
    PartitionRouter router,
    LeaderDiscovery leaders,
    BrokerIdentity broker,
    BrokerAuthorizer authorizer,
    Metrics.BrokerTopicMetrics metrics,
    IOptions<KafkaListenerOptions> options,
    ILogger<ProduceHandler> logger)
    : KafkaApiHandler<ProduceRequest, ProduceResponse>
{
    /// <summary>The first version that carries record batches (magic 2) only (KIP-98).</summary>
    private const short FirstRecordBatchVersion = 3;

    /// <summary>The first version whose answer names a partition's current leader and its endpoint (KIP-951).</summary>
    private const short FirstLeaderDiscoveryVersion = 10;

    private readonly bool _acceptOldMessageFormats = options.Value.AcceptOldMessageFormats;

    public override ApiKey ApiKey => ApiKey.Produce;

    public override short MinVersion => 0;

    public override short MaxVersion => 11;

    protected override async Task<ProduceResponse?> HandleAsync(ProduceRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var acksValid = body.Acks is -1 or 0 or 1;
        var legacy = request.ApiVersion < FirstRecordBatchVersion;
        var served = !legacy || _acceptOldMessageFormats;
        if (served && HasTransactionalRecords(body)
            && (body.TransactionalId is null || !authorizer.Authorize(request, AclOperation.Write, AclResourceType.TransactionalId, body.TransactionalId)))
        {
            // As Kafka: the whole request is refused, nothing of it appended.
            if (body.Acks == 0)
            {
                request.CloseConnection();
                return null;
            }

            return new ProduceResponse
            {
                Responses = body.TopicData.Select(t => new ProduceResponse.TopicProduceResponse
                {
                    Name = t.Name,
                    PartitionResponses = t.PartitionData
                        .Select(p => Failed(p.Index, ErrorCode.TransactionalIdAuthorizationFailed, "Transactional Id authorization failed."))
                        .ToList(),
                }).ToList(),
            };
        }

        // Each topic checked once, as Kafka's filterByAuthorized.
        var allowed = authorizer.Allowed(request, AclOperation.Write, AclResourceType.Topic, body.TopicData.Select(t => t.Name));
        var topics = await PartitionFanOut.RunAsync(body.TopicData, t => t.PartitionData, (topic, partition) =>
            !served ? Task.FromResult(Failed(partition.Index, ErrorCode.UnsupportedVersion,
                $"Produce v{request.ApiVersion} (message formats 0 and 1) is not served: use v{FirstRecordBatchVersion} or later."))
            : !BrokerAuthorizer.IsAllowed(allowed, topic.Name) ? Task.FromResult(Failed(partition.Index, ErrorCode.TopicAuthorizationFailed, null))
            : !acksValid ? Task.FromResult(Failed(partition.Index, ErrorCode.InvalidRequiredAcks, $"Invalid acks {body.Acks}: use -1, 0 or 1."))
            : legacy ? AppendLegacyAsync(request, topic.Name, partition.Index, partition.Records, body.Acks, body.TimeoutMs)
            : AppendAsync(request, topic.Name, partition.Index, partition.Records, body.TransactionalId, body.Acks, body.TimeoutMs));
        if (body.Acks == 0)
        {
            // As Kafka: a client that waits for no answer learns of a failure by its connection closing.
            if (topics.Any(t => t.Results.Any(r => r.ErrorCode != (short)ErrorCode.None)))
            {
                request.CloseConnection();
            }

            return null;
        }

        var response = new ProduceResponse
        {
            Responses = topics.Select(t => new ProduceResponse.TopicProduceResponse { Name = t.Topic.Name, PartitionResponses = t.Results }).ToList(),
        };
        if (request.ApiVersion >= FirstLeaderDiscoveryVersion)
        {
            await NameLeadersAsync(response, request.Listener);
        }

        return response;
    }

    /// <summary>KIP-951: each partition answered NOT_LEADER_OR_FOLLOWER names its current leader, and the response that leader's endpoint.</summary>
    private async Task NameLeadersAsync(ProduceResponse response, string listener)
    {
        var failed = response.Responses
            .SelectMany(t => t.PartitionResponses, (t, p) => (Topic: t.Name, Partition: p.Index, Error: (ErrorCode)p.ErrorCode, Response: p))
            .Where(f => f.Error == ErrorCode.NotLeaderOrFollower)
            .ToList();
        var endpoints = await leaders.NameLeadersAsync(listener, failed, static (partition, leader) =>
            partition.CurrentLeader = new ProduceResponse.LeaderIdAndEpoch { LeaderId = leader.LeaderId, LeaderEpoch = leader.LeaderEpoch });
        response.NodeEndpoints = [.. endpoints.Select(e => new ProduceResponse.NodeEndpoint { NodeId = e.BrokerId, Host = e.Host, Port = e.Port, Rack = e.Rack })];
    }

    private async Task<ProduceResponse.PartitionProduceResponse> AppendAsync(
        KafkaRequest request, string topic, int index, ReadOnlyMemory<byte>? records, string? transactionalId, short acks, int timeoutMs)
    {
        // Refused before the partition is looked up, as Kafka's request validation refuses it: not counted as a produce.
        if (records is not { Length: > 0 } batches || !IsSingleBatch(batches.Span))
        {
            return Failed(index, ErrorCode.InvalidRecord, "A partition's records must be exactly one record batch.");
        }

        var (error, partition, _) = await router.RouteAsync(topic, index);
        if (partition is null)
        {
            return Failed(index, error, null);
        }

        // The batch is the partition's from here: nothing below reads it (the response is built from the result).
        metrics.ProduceRequested(topic);
        return await AppendToAsync(request, topic, index, partition, TransferredRecords.HandOver(batches), batches.Length, transactionalId, acks, timeoutMs);
    }

    /// <summary>
    /// Produce v0-v2: the partition is found first, as Kafka does for these versions, then the message set is
    /// converted to a record batch. A record batch sent at these versions is taken as it is, alone in its set. An empty
    /// set appends nothing and is answered without error or offset, as Kafka answers it.
    /// </summary>
    private async Task<ProduceResponse.PartitionProduceResponse> AppendLegacyAsync(KafkaRequest request, string topic, int index, ReadOnlyMemory<byte>? records, short acks, int timeoutMs)
    {
        var (error, partition, _) = await router.RouteAsync(topic, index);
        if (partition is null)
        {
            return Failed(index, error, null);
        }

        metrics.ProduceRequested(topic);
        if (records is not { Length: > 0 } set)
        {
            return Failed(index, ErrorCode.None, null);
        }

        if (set.Length > RecordBatch.MagicOffset && set.Span[RecordBatch.MagicOffset] == RecordBatch.CurrentMagic)
        {
            return IsSingleBatch(set.Span)
                ? await AppendToAsync(request, topic, index, partition, TransferredRecords.HandOver(set), set.Length, transactionalId: null, acks, timeoutMs)
                : Refused(topic, index, ErrorCode.InvalidRecord, "A partition's records must be exactly one record batch.", set.Length);
        }

        var converted = RecordUpConverter.ToRecordBatch(set.Span);
        return converted.IsValid
            ? await AppendToAsync(request, topic, index, partition, converted.Batch!, set.Length, transactionalId: null, acks, timeoutMs)
            : Refused(topic, index, converted.Error, converted.ErrorMessage, set.Length);
    }

    private async Task<ProduceResponse.PartitionProduceResponse> AppendToAsync(
        KafkaRequest request, string topic, int index, IPartitionGrain partition, TransferredRecords batch, int bytes, string? transactionalId, short acks, int timeoutMs)
    {
        // Only the broker writes an internal topic (Kafka's ReplicaManager: internalTopicsAllowed is false for clients).
        if (InternalTopics.IsInternal(topic))
        {
            return Failed(index, ErrorCode.InvalidTopicException, $"Cannot append to internal topic {topic}");
        }

        // Read before the partition has the bytes: it may rewrite them in place. The bytes are those received (a
        // message set of magic 0 or 1 as sent, before its conversion), as Kafka counts them.
        var messages = batch.Bytes.Length >= RecordBatch.HeaderSize ? RecordBatch.RecordsCount(batch.Bytes.Span) : 0;
        try
        {
            // The grain does not keep a batch it refuses, so the same bytes can be sent again.
            var result = await LeadershipArrival.CallAsync(
                () => partition.AppendAsync(batch, transactionalId, acks, timeoutMs), broker.BrokerId, LeadershipArrivalBudget(timeoutMs));
            // NOT_ENOUGH_REPLICAS_AFTER_APPEND: in the log, though acks=all was not met.
            if (result.Error is ErrorCode.None or ErrorCode.NotEnoughReplicasAfterAppend)
            {
                metrics.Appended(topic, bytes, messages);
            }

            metrics.ProduceFailed(topic, result.Error, bytes);

            return new ProduceResponse.PartitionProduceResponse
            {
                Index = index,
                ErrorCode = (short)result.Error,
                ErrorMessage = result.ErrorMessage,
                BaseOffset = result.BaseOffset,
                LogAppendTimeMs = result.LogAppendTime,
                LogStartOffset = result.LogStartOffset,
                RecordErrors = result.RecordErrors?.Select(e => new ProduceResponse.BatchIndexAndErrorMessage
                {
                    BatchIndex = e.BatchIndex,
                    BatchIndexErrorMessage = e.Message,
                }).ToList() ?? [],
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A call that failed here (a timeout) may still run where the partition is, on the handed-over bytes.
            request.KeepFrameOutOfPool();
            var code = PartitionRouter.ErrorFor(e);
            if (code == ErrorCode.UnknownServerError)
            {
                LogAppendFailed(logger, e, topic, index);
            }

            metrics.ProduceFailed(topic, code, bytes);

            return Failed(index, code, e.Message);
        }
    }

    /// <summary>How long a produce waits for a leadership arriving here: a few seconds, within its own timeout.</summary>
    private static TimeSpan LeadershipArrivalBudget(int timeoutMs) =>
        TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs, 0, (int)MaxLeadershipArrival.TotalMilliseconds));

    private static readonly TimeSpan MaxLeadershipArrival = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kafka's <c>RequestUtils.hasTransactionalRecords</c>: whether some partition's first batch is transactional (a
    /// record batch, magic 2, with the flag set; message sets of magic 0 and 1 never are).
    /// </summary>
    private static bool HasTransactionalRecords(ProduceRequest body) =>
        body.TopicData.Any(t => t.PartitionData.Any(p => p.Records is { } records
            && records.Length >= RecordBatch.AttributesOffset + sizeof(short)
            && RecordBatch.Magic(records.Span) == RecordBatch.CurrentMagic
            && RecordBatch.IsTransactional(records.Span)));

    /// <summary>Produce v3+ carries exactly one batch per partition (KIP-98); anything else is INVALID_RECORD.</summary>
    private static bool IsSingleBatch(ReadOnlySpan<byte> records) =>
        records.Length >= RecordBatch.LogOverhead && RecordBatch.TotalSize(records) == records.Length;

    /// <summary>A partition's records refused before they reached it, counted as Kafka counts refused batches.</summary>
    private ProduceResponse.PartitionProduceResponse Refused(string topic, int index, ErrorCode error, string? message, int bytes)
    {
        metrics.ProduceFailed(topic, error, bytes);
        return Failed(index, error, message);
    }

    private static ProduceResponse.PartitionProduceResponse Failed(int index, ErrorCode error, string? message) => new()
    {
        Index = index,
        ErrorCode = (short)error,
        ErrorMessage = message,
        BaseOffset = -1,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Append to {Topic}-{Partition} failed")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, string topic, int partition);
}
