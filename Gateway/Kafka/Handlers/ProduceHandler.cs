using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Produce (0): each partition's record batches go to its partition grain as the bytes the producer sent, one call
/// per partition, all partitions of a request at once. acks=0 gets no response; acks=1 and acks=all are answered
/// when the partition has appended (and, for durable topics, fsynced), which with one replica is the same thing.
/// Each partition's slice of the request frame is handed over to its partition (<see cref="TransferredRecords"/>),
/// which rewrites it in place: a batch is copied once in this process, when the frame is read from the connection.
/// </summary>
public sealed partial class ProduceHandler(PartitionRouter router, ILogger<ProduceHandler> logger)
    : KafkaApiHandler<ProduceRequest, ProduceResponse>
{
    public override ApiKey ApiKey => ApiKey.Produce;

    public override short MinVersion => 3;

    public override short MaxVersion => 11;

    protected override async Task<ProduceResponse?> HandleAsync(ProduceRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var acksValid = body.Acks is -1 or 0 or 1;
        var topics = await PartitionFanOut.RunAsync(body.TopicData, t => t.PartitionData, (topic, partition) => acksValid
            ? AppendAsync(request, topic.Name, partition.Index, partition.Records, body.TransactionalId)
            : Task.FromResult(Failed(partition.Index, ErrorCode.InvalidRequiredAcks, $"Invalid acks {body.Acks}: use -1, 0 or 1.")));
        var response = new ProduceResponse
        {
            Responses = topics.Select(t => new ProduceResponse.TopicProduceResponse { Name = t.Topic.Name, PartitionResponses = t.Results }).ToList(),
        };
        return body.Acks == 0 ? null : response;
    }

    private async Task<ProduceResponse.PartitionProduceResponse> AppendAsync(
        KafkaRequest request, string topic, int index, ReadOnlyMemory<byte>? records, string? transactionalId)
    {
        if (records is not { Length: > 0 } batches || !IsSingleBatch(batches.Span))
        {
            return Failed(index, ErrorCode.InvalidRecord, "A partition's records must be exactly one record batch.");
        }

        var (error, partition, _) = await router.RouteAsync(topic, index);
        if (partition is null)
        {
            return Failed(index, error, null);
        }

        // Only the broker writes an internal topic (Kafka's ReplicaManager: internalTopicsAllowed is false for clients).
        if (InternalTopics.IsInternal(topic))
        {
            return Failed(index, ErrorCode.InvalidTopicException, $"Cannot append to internal topic {topic}");
        }

        try
        {
            // The batch is the partition's from here: nothing below reads it (the response is built from the result).
            var result = await partition.AppendAsync(TransferredRecords.HandOver(batches), transactionalId);
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

            return Failed(index, code, e.Message);
        }
    }

    /// <summary>Produce v3+ carries exactly one batch per partition (KIP-98); anything else is INVALID_RECORD.</summary>
    private static bool IsSingleBatch(ReadOnlySpan<byte> records) =>
        records.Length >= RecordBatch.LogOverhead && RecordBatch.TotalSize(records) == records.Length;

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
