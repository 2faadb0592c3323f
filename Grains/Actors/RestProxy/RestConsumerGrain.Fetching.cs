using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.RestConsumers;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// Positions, polls and offsets: the partitions' and the group's answers, fed to the engine. A poll reads every assigned
/// partition at once and waits (in the partitions, no polling) only when none has records.
/// </summary>
public sealed partial class RestConsumerGrain
{
    public Task<int> SeekAsync(IReadOnlyList<RestPosition> positions) =>
        Task.FromResult(Code(_consumer.Seek(positions.Select(ToOffset).ToList())));

    public async Task<int> SeekToAsync(IReadOnlyList<RestTopicPartition> partitions, bool beginning)
    {
        var seeking = partitions.Select(ToPartition).ToList();
        var error = _consumer.BeginSeekTo(seeking);
        if (error != RestConsumerError.None)
        {
            return Code(error);
        }

        foreach (var partition in seeking)
        {
            _consumer.SeekTo(partition, await BoundsAsync(partition), beginning);
        }

        return RestConsumerErrors.None;
    }

    public async Task<RestResult<IReadOnlyList<RestConsumedRecord>>> PollAsync(int maxBytes, TimeSpan timeout)
    {
        var error = _consumer.BeginRequest();
        if (error != RestConsumerError.None)
        {
            return RestResult<IReadOnlyList<RestConsumedRecord>>.Fail(Code(error), NotFound);
        }

        var started = time.GetTimestamp();
        if (_consumer.AutoCommitBeforePoll() is { } commit)
        {
            await SendCommitAsync(commit);
        }

        // A new member has no partitions until its group has assigned them.
        while (_consumer.AwaitsAssignment && time.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), time);
        }

        var partitions = _consumer.Assignment.ToList();
        if (partitions.Count == 0)
        {
            return RestResult<IReadOnlyList<RestConsumedRecord>>.Ok([]);
        }

        await StartPositionsAsync(partitions);
        var records = await ReadAsync(partitions, maxBytes, TimeSpan.Zero);
        var remaining = timeout - time.GetElapsedTime(started);
        if (records.Count == 0 && remaining > TimeSpan.Zero)
        {
            records = await ReadAsync(partitions, maxBytes, remaining);
        }

        return RestResult<IReadOnlyList<RestConsumedRecord>>.Ok(records.Select(r => new RestConsumedRecord(
            r.Partition.Topic, r.Partition.Partition, r.Offset, r.Timestamp, r.Key, r.Value)).ToList());
    }

    public Task AnsweredAsync()
    {
        _consumer.Answered();
        return Task.CompletedTask;
    }

    public async Task<RestResult<IReadOnlyList<RestCommitted>>> CommitAsync(IReadOnlyList<RestPosition>? offsets)
    {
        var (error, commit) = _consumer.Commit(offsets?.Select(ToOffset).ToList());
        if (error != RestConsumerError.None)
        {
            return RestResult<IReadOnlyList<RestCommitted>>.Fail(Code(error), NotFound);
        }

        if (commit.Offsets.Count == 0)
        {
            return RestResult<IReadOnlyList<RestCommitted>>.Ok([]);
        }

        var outcome = _consumer.Committed(commit, await SendCommitAsync(commit));
        return outcome.Error == RestConsumerError.None
            ? RestResult<IReadOnlyList<RestCommitted>>.Ok(outcome.Partitions
                .Select(c => new RestCommitted(c.Partition.Topic, c.Partition.Partition, c.Consumed, c.Committed)).ToList())
            : RestResult<IReadOnlyList<RestCommitted>>.Fail(Code(outcome.Error), outcome.Message ?? "");
    }

    public async Task<RestResult<IReadOnlyList<RestPosition>>> GetCommittedAsync(IReadOnlyList<RestTopicPartition> partitions)
    {
        var error = _consumer.BeginRequest();
        if (error != RestConsumerError.None)
        {
            return RestResult<IReadOnlyList<RestPosition>>.Fail(Code(error), NotFound);
        }

        var committed = await GroupGrain.FetchOffsetsAsync(partitions.Select(p => new GroupTopicPartition(p.Topic, p.Partition)).ToList());
        return RestResult<IReadOnlyList<RestPosition>>.Ok(committed.Select(c => new RestPosition(c.Topic, c.Partition, c.Offset)).ToList());
    }

    /// <summary>The first position of each partition that has none: its committed offset, else its bounds for <c>auto.offset.reset</c>.</summary>
    private async Task StartPositionsAsync(List<TopicPartition> partitions)
    {
        var unknown = _consumer.WithoutPosition(partitions);
        if (unknown.Count == 0)
        {
            return;
        }

        var committed = await GroupGrain.FetchOffsetsAsync(unknown.Select(p => new GroupTopicPartition(p.Topic, p.Partition)).ToList());
        foreach (var partition in unknown)
        {
            var offset = committed.FirstOrDefault(c => c.Topic == partition.Topic && c.Partition == partition.Partition)?.Offset ?? -1;
            if (!_consumer.StartAtCommitted(partition, offset))
            {
                _consumer.StartAtReset(partition, await BoundsAsync(partition));
            }
        }
    }

    /// <summary>One read per partition, all at once; with a wait, the first partition to answer with records ends the poll.</summary>
    private async Task<IReadOnlyList<ConsumedRecord>> ReadAsync(List<TopicPartition> partitions, int maxBytes, TimeSpan wait)
    {
        var plan = _consumer.PlanFetch(partitions, maxBytes);
        var reads = plan.Partitions.Select(async fetch =>
        {
            var read = await References.Partition(fetch.Partition.Topic, fetch.Partition.Partition)
                .ReadAsync(new ReadRequest(fetch.FetchOffset, fetch.MaxBytes, wait));
            var fetched = FetchedPartition.Decode(fetch, read.Error, read.Records.Span);
            PooledBuffer.Release(read.Records.Memory);
            return fetched;
        }).ToList();

        var answered = new List<FetchedPartition>();
        while (!plan.IsAnswered(answered, waiting: wait > TimeSpan.Zero))
        {
            var finished = await Task.WhenAny(reads);
            reads.Remove(finished);
            answered.Add(await finished);
        }

        return _consumer.ApplyFetched(plan, answered);
    }

    private async Task<PartitionBounds> BoundsAsync(TopicPartition partition)
    {
        var offsets = await References.Partition(partition.Topic, partition.Partition).GetOffsetsAsync();
        return new PartitionBounds(offsets.LogStartOffset, offsets.HighWatermark);
    }

    private Task<IReadOnlyList<ErrorCode>> SendCommitAsync(OffsetCommit commit) =>
        GroupGrain.CommitOffsetsAsync(new OffsetCommitRequestData(
            commit.MemberId, null, commit.GenerationId,
            commit.Offsets.Select(o => new OffsetToCommit(o.Partition.Topic, o.Partition.Partition, o.Offset, -1, "")).ToList()));

    private static PartitionOffset ToOffset(RestPosition position) => new(new TopicPartition(position.Topic, position.Partition), position.Offset);
}
