using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Buffers;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// Fetch (1): whole stored batches from each partition asked for, as the bytes on disk. When less than
/// <c>min.bytes</c> is ready the request waits up to <c>max.wait.ms</c>, each partition's read waiting inside its
/// grain for an append (no polling) and the rest cancelled once enough has arrived. <c>max.bytes</c> bounds the
/// response, except that the first non-empty partition always returns at least its first batch (KIP-74).
/// Fetch sessions are declined (session id 0), which KIP-227 allows: clients then send full fetches.
/// </summary>
public sealed partial class FetchHandler(PartitionRouter router, ILogger<FetchHandler> logger)
    : KafkaApiHandler<FetchRequest, FetchResponse>
{
    public override ApiKey ApiKey => ApiKey.Fetch;

    public override short MinVersion => 4;

    public override short MaxVersion => 12;

    protected override async Task<FetchResponse?> HandleAsync(FetchRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (body.SessionId != 0)
        {
            return new FetchResponse { ErrorCode = (short)ErrorCode.FetchSessionIdNotFound };
        }

        var slots = body.Topics
            .SelectMany(topic => topic.Partitions.Select(partition => new Slot(topic.Topic, partition)))
            .ToList();
        await Task.WhenAll(slots.Select(slot => slot.RouteAsync(router)));
        await Task.WhenAll(slots.Select(slot => slot.ReadAsync(TimeSpan.Zero, CancellationToken.None, logger)));

        var minBytes = Math.Max(1, body.MinBytes);
        if (body.MaxWaitMs > 0 && Total(slots) < minBytes && slots.Any(s => s.Partition is not null && s.Error == ErrorCode.None))
        {
            await WaitForDataAsync(slots, TimeSpan.FromMilliseconds(body.MaxWaitMs), minBytes, cancellationToken);
        }

        return BuildResponse(body, slots);
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

    private async Task WaitForDataAsync(List<Slot> slots, TimeSpan maxWait, int minBytes, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = slots.Where(s => s.Partition is not null && s.Error == ErrorCode.None)
            .Select(s => s.ReadAsync(maxWait, stop.Token, logger))
            .ToList();
        while (waiting.Count > 0)
        {
            var done = await Task.WhenAny(waiting);
            waiting.Remove(done);
            if (Total(slots) >= minBytes)
            {
                break;
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(waiting);
    }

    private static FetchResponse BuildResponse(FetchRequest body, List<Slot> slots)
    {
        var response = new FetchResponse();
        var budget = (long)body.MaxBytes;
        var first = true;
        foreach (var group in slots.GroupBy(s => s.Topic))
        {
            var topic = new FetchResponse.FetchableTopicResponse { Topic = group.Key };
            foreach (var slot in group)
            {
                var records = slot.Result?.Records ?? ReadOnlyMemory<byte>.Empty;
                if (!records.IsEmpty && !first && records.Length > budget)
                {
                    // Over the response's max.bytes: this partition's data waits for the next fetch.
                    PooledBuffer.Release(records);
                    records = ReadOnlyMemory<byte>.Empty;
                }

                if (!records.IsEmpty)
                {
                    budget -= records.Length;
                    first = false;
                }

                topic.Partitions.Add(new FetchResponse.PartitionData
                {
                    PartitionIndex = slot.Request.Partition,
                    ErrorCode = (short)slot.Error,
                    HighWatermark = slot.Result?.HighWatermark ?? -1,
                    LastStableOffset = slot.Result?.LastStableOffset ?? -1,
                    LogStartOffset = slot.Result?.LogStartOffset ?? -1,
                    AbortedTransactions = null,
                    Records = records,
                });
            }

            response.Responses.Add(topic);
        }

        return response;
    }

    private static long Total(List<Slot> slots) => slots.Sum(s => (long)(s.Result?.Records.Length ?? 0));

    /// <summary>One partition of the request: where it goes, and what was read.</summary>
    private sealed class Slot(string topic, FetchRequest.FetchPartition request)
    {
        public string Topic { get; } = topic;

        public FetchRequest.FetchPartition Request { get; } = request;

        public IPartitionGrain? Partition { get; private set; }

        public ErrorCode Error { get; private set; }

        public ReadResult? Result { get; private set; }

        public async Task RouteAsync(PartitionRouter router) =>
            (Error, Partition, _) = await router.RouteAsync(Topic, Request.Partition);

        public async Task ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken, ILogger logger)
        {
            if (Partition is null || Error != ErrorCode.None)
            {
                return;
            }

            try
            {
                var result = await Partition.ReadAsync(
                    new ReadRequest(Request.FetchOffset, Math.Max(0, Request.PartitionMaxBytes), maxWait),
                    cancellationToken);
                var previous = Result;
                Result = result;
                Error = result.Error;
                if (previous is not null)
                {
                    PooledBuffer.Release(previous.Records);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped waiting: the earlier, immediate read stands.
            }
            catch (Exception e)
            {
                Error = PartitionRouter.ErrorFor(e);
                if (Error == ErrorCode.UnknownServerError)
                {
                    LogReadFailed(logger, e, Topic, Request.Partition);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Read from {Topic}-{Partition} failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string topic, int partition);
}
