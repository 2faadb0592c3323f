using Microsoft.Extensions.Logging;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListOffsets (2): per partition, the latest (-1; for read_committed the last stable offset), earliest (-2),
/// max-timestamp (-3, v7+), earliest local (-4, v8+: the earliest, as all data is local) or latest tiered (-5, v9+:
/// none, as nothing is tiered) offset, or the first offset whose timestamp is at least the one given; a special
/// timestamp of a later version is UNSUPPORTED_VERSION, as Kafka answers it. v0, what older tools send, answers from
/// segments instead (<c>old_style_offsets</c>: up to <c>max_num_offsets</c> segment base offsets, see
/// <see cref="IPartitionGrain.LegacyListOffsetsAsync"/>). It needs DESCRIBE on each topic (TOPIC_AUTHORIZATION_FAILED, before
/// anything else is checked).
/// </summary>
public sealed partial class ListOffsetsHandler(PartitionRouter router, BrokerAuthorizer authorizer, ILogger<ListOffsetsHandler> logger)
    : KafkaApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    private const int ConsumerReplicaId = -1;
    private const long LatestTiered = -5;

    /// <summary>The first version that may ask for each special timestamp (Kafka's timestampMinSupportedVersion).</summary>
    private static readonly Dictionary<long, short> SpecialTimestampVersions = new()
    {
        [ListOffsetTimestamps.Earliest] = 1,
        [ListOffsetTimestamps.Latest] = 1,
        [ListOffsetTimestamps.MaxTimestamp] = 7,
        [ListOffsetTimestamps.EarliestLocal] = 8,
        [LatestTiered] = 9,
    };

    public override ApiKey ApiKey => ApiKey.ListOffsets;

    public override short MinVersion => 0;

    public override short MaxVersion => 9;

    protected override async Task<ListOffsetsResponse?> HandleAsync(ListOffsetsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var readCommitted = request.ApiVersion >= 2 && body.IsolationLevel == 1;
        var fromConsumer = body.ReplicaId == ConsumerReplicaId;
        var allowed = authorizer.Allowed(request, AclOperation.Describe, AclResourceType.Topic, body.Topics.Select(t => t.Name));
        var topics = await PartitionFanOut.RunAsync(body.Topics, t => t.Partitions, (t, p) => !BrokerAuthorizer.IsAllowed(allowed, t.Name)
            ? Task.FromResult(new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, ErrorCode = (short)ErrorCode.TopicAuthorizationFailed })
            : request.ApiVersion == 0
            ? LegacyLookupAsync(t.Name, p, fromConsumer)
            : p.Timestamp < 0 && !(SpecialTimestampVersions.TryGetValue(p.Timestamp, out var since) && request.ApiVersion >= since)
            ? Task.FromResult(new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = p.PartitionIndex, ErrorCode = (short)ErrorCode.UnsupportedVersion })
            : LookupAsync(t.Name, p, readCommitted));
        return new ListOffsetsResponse
        {
            Topics = topics.Select(t => new ListOffsetsResponse.ListOffsetsTopicResponse { Name = t.Topic.Name, Partitions = t.Results }).ToList(),
        };
    }

    private async Task<ListOffsetsResponse.ListOffsetsPartitionResponse> LookupAsync(string topic, ListOffsetsRequest.ListOffsetsPartition partition, bool readCommitted)
    {
        var response = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
        var (error, grain, _) = await router.RouteAsync(topic, partition.PartitionIndex);
        if (grain is null)
        {
            response.ErrorCode = (short)error;
            return response;
        }

        if (partition.Timestamp == LatestTiered)
        {
            // Nothing is in tiered storage: Kafka answers offset -1 with leader epoch -1.
            return response;
        }

        try
        {
            var result = await grain.ListOffsetAsync(partition.Timestamp, readCommitted, partition.CurrentLeaderEpoch);
            response.ErrorCode = (short)result.Error;
            response.Offset = result.Offset;
            response.Timestamp = result.Timestamp;
            response.LeaderEpoch = 0;
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

    /// <summary>
    /// v0: the offsets of the segments. A negative timestamp other than latest and earliest is UNSUPPORTED_VERSION; a
    /// negative number of offsets fails the partition, as it fails Kafka's lookup.
    /// </summary>
    private async Task<ListOffsetsResponse.ListOffsetsPartitionResponse> LegacyLookupAsync(
        string topic, ListOffsetsRequest.ListOffsetsPartition partition, bool fromConsumer)
    {
        var response = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = partition.PartitionIndex };
        if (partition.Timestamp < ListOffsetTimestamps.Earliest)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedVersion;
            return response;
        }

        var (error, grain, _) = await router.RouteAsync(topic, partition.PartitionIndex);
        if (grain is null)
        {
            response.ErrorCode = (short)error;
            return response;
        }

        if (partition.MaxNumOffsets < 0)
        {
            response.ErrorCode = (short)ErrorCode.UnknownServerError;
            return response;
        }

        try
        {
            response.OldStyleOffsets = [.. await grain.LegacyListOffsetsAsync(partition.Timestamp, partition.MaxNumOffsets, fromConsumer)];
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
