using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListOffsets (2): per partition, the latest (-1; for read_committed the last stable offset), earliest (-2) or
/// max-timestamp (-3) offset, or the first offset whose timestamp is at least the one given. Version 0 (sarama's
/// default, which Burrow sends) answers that one offset in its list of offsets: for latest and earliest, with the
/// count of one that clients ask for, it is Kafka's answer; Kafka's v0 lookup by time, by segment modification
/// times, is not reproduced.
/// </summary>
public sealed partial class ListOffsetsHandler(PartitionRouter router, ILogger<ListOffsetsHandler> logger)
    : KafkaApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    public override ApiKey ApiKey => ApiKey.ListOffsets;

    public override short MinVersion => 0;

    public override short MaxVersion => 8;

    protected override async Task<ListOffsetsResponse?> HandleAsync(ListOffsetsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var readCommitted = request.ApiVersion >= 2 && body.IsolationLevel == 1;
        var topics = await PartitionFanOut.RunAsync(body.Topics, t => t.Partitions, (t, p) => LookupAsync(t.Name, p, readCommitted, request.ApiVersion));
        return new ListOffsetsResponse
        {
            Topics = topics.Select(t => new ListOffsetsResponse.ListOffsetsTopicResponse { Name = t.Topic.Name, Partitions = t.Results }).ToList(),
        };
    }

    private async Task<ListOffsetsResponse.ListOffsetsPartitionResponse> LookupAsync(string topic, ListOffsetsRequest.ListOffsetsPartition partition, bool readCommitted, short version)
    {
        var response = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
        var (error, grain, _) = await router.RouteAsync(topic, partition.PartitionIndex);
        if (grain is null)
        {
            response.ErrorCode = (short)error;
            return response;
        }

        try
        {
            var result = await grain.ListOffsetAsync(partition.Timestamp, readCommitted);
            response.ErrorCode = (short)result.Error;
            response.Offset = result.Offset;
            response.Timestamp = result.Timestamp;
            response.LeaderEpoch = 0;
            if (version == 0)
            {
                response.OldStyleOffsets = result.Error == ErrorCode.None && result.Offset >= 0 && partition.MaxNumOffsets > 0 ? [result.Offset] : [];
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            response.ErrorCode = (short)PartitionRouter.ErrorFor(e);
            if (response.ErrorCode == (short)ErrorCode.UnknownServerError)
            {
                LogLookupFailed(logger, e, topic, partition.PartitionIndex);
            }
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ListOffsets on {Topic}-{Partition} failed")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string topic, int partition);
}
