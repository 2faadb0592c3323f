using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.RestProxy;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// Positions, polls and offsets. A partition's first position is the group's committed offset, else
/// <c>auto.offset.reset</c>; a poll reads every assigned partition at once and waits (in the partitions, no polling)
/// only when none has records.
/// </summary>
public sealed partial class RestConsumerGrain
{
    public async Task<int> SeekAsync(IReadOnlyList<RestPosition> positions)
    {
        if (Check() is { } error)
        {
            return error;
        }

        if (positions.Any(p => !_assigned.Contains(new RestTopicPartition(p.Topic, p.Partition))))
        {
            return RestConsumerErrors.IllegalState;
        }

        foreach (var position in positions)
        {
            _positions[new RestTopicPartition(position.Topic, position.Partition)] = position.Offset;
        }

        await Task.CompletedTask;
        return RestConsumerErrors.None;
    }

    public async Task<int> SeekToAsync(IReadOnlyList<RestTopicPartition> partitions, bool beginning)
    {
        if (Check() is { } error)
        {
            return error;
        }

        if (partitions.Any(p => !_assigned.Contains(p)))
        {
            return RestConsumerErrors.IllegalState;
        }

        foreach (var partition in partitions)
        {
            var offsets = await PartitionGrainKey.Get(GrainFactory, partition.Topic, partition.Partition).GetOffsetsAsync();
            _positions[partition] = beginning ? offsets.LogStartOffset : offsets.HighWatermark;
        }

        return RestConsumerErrors.None;
    }

    public async Task<RestResult<IReadOnlyList<RestConsumedRecord>>> PollAsync(int maxBytes, TimeSpan timeout)
    {
        if (Check() is { } error)
        {
            return RestResult<IReadOnlyList<RestConsumedRecord>>.Fail(error, "Consumer instance not found.");
        }

        var started = time.GetTimestamp();
        if (_config!.AutoCommit && _positions.Count > 0 && (_manual is not null || _memberId.Length > 0))
        {
            await CommitAsync(null);
        }

        // A new member has no partitions until its group has assigned them.
        while (_assigned.Count == 0 && Subscribed && time.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        var partitions = _assigned.ToList();
        if (partitions.Count == 0)
        {
            return RestResult<IReadOnlyList<RestConsumedRecord>>.Ok([]);
        }

        await EnsurePositionsAsync(partitions);
        var records = await ReadAsync(partitions, maxBytes, TimeSpan.Zero);
        var remaining = timeout - time.GetElapsedTime(started);
        if (records.Count == 0 && remaining > TimeSpan.Zero)
        {
            records = await ReadAsync(partitions, maxBytes, remaining);
        }

        return RestResult<IReadOnlyList<RestConsumedRecord>>.Ok(records);
    }

    public async Task<RestResult<IReadOnlyList<RestCommitted>>> CommitAsync(IReadOnlyList<RestPosition>? offsets)
    {
        if (Check() is { } error)
        {
            return RestResult<IReadOnlyList<RestCommitted>>.Fail(error, "Consumer instance not found.");
        }

        var commits = offsets ?? _positions.Select(p => new RestPosition(p.Key.Topic, p.Key.Partition, p.Value)).ToList();
        if (commits.Count == 0)
        {
            return RestResult<IReadOnlyList<RestCommitted>>.Ok([]);
        }

        // A member commits with its generation; an instance with assigned partitions commits as a simple consumer.
        var member = _manual is null ? _memberId : "";
        var errors = await GroupGrain.CommitOffsetsAsync(new OffsetCommitRequestData(
            member, null, member.Length > 0 ? _generation : -1,
            commits.Select(c => new OffsetToCommit(c.Topic, c.Partition, c.Offset, -1, "")).ToList()));
        if (errors.FirstOrDefault(e => e != ErrorCode.None) is var failed && failed != ErrorCode.None)
        {
            return RestResult<IReadOnlyList<RestCommitted>>.Fail(RestConsumerErrors.KafkaError, $"Commit failed: {failed}");
        }

        return RestResult<IReadOnlyList<RestCommitted>>.Ok(commits.Select(c => new RestCommitted(
            c.Topic, c.Partition, _positions.TryGetValue(new RestTopicPartition(c.Topic, c.Partition), out var consumed) ? consumed : c.Offset, c.Offset)).ToList());
    }

    public async Task<RestResult<IReadOnlyList<RestPosition>>> GetCommittedAsync(IReadOnlyList<RestTopicPartition> partitions)
    {
        if (Check() is { } error)
        {
            return RestResult<IReadOnlyList<RestPosition>>.Fail(error, "Consumer instance not found.");
        }

        var committed = await GroupGrain.FetchOffsetsAsync(partitions.Select(p => new GroupTopicPartition(p.Topic, p.Partition)).ToList());
        return RestResult<IReadOnlyList<RestPosition>>.Ok(committed.Select(c => new RestPosition(c.Topic, c.Partition, c.Offset)).ToList());
    }

    private async Task EnsurePositionsAsync(List<RestTopicPartition> partitions)
    {
        var unknown = partitions.Where(p => !_positions.ContainsKey(p)).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var committed = await GroupGrain.FetchOffsetsAsync(unknown.Select(p => new GroupTopicPartition(p.Topic, p.Partition)).ToList());
        foreach (var partition in unknown)
        {
            var offset = committed.FirstOrDefault(c => c.Topic == partition.Topic && c.Partition == partition.Partition)?.Offset ?? -1;
            if (offset < 0)
            {
                var offsets = await PartitionGrainKey.Get(GrainFactory, partition.Topic, partition.Partition).GetOffsetsAsync();
                offset = _config!.AutoOffsetReset == "earliest" ? offsets.LogStartOffset : offsets.HighWatermark;
            }

            _positions.TryAdd(partition, offset);
        }
    }

    /// <summary>One read per partition, all at once; with a wait, the first partition to answer with records ends the poll.</summary>
    private async Task<List<RestConsumedRecord>> ReadAsync(List<RestTopicPartition> partitions, int maxBytes, TimeSpan wait)
    {
        var reads = partitions.Select(async partition =>
        {
            var from = _positions[partition];
            var read = await PartitionGrainKey.Get(GrainFactory, partition.Topic, partition.Partition)
                .ReadAsync(new ReadRequest(from, maxBytes, wait));
            return (Partition: partition, From: from, Records: read.Error == ErrorCode.None ? Decode(partition, from, read.Records.Span) : []);
        }).ToList();

        var done = new List<(RestTopicPartition Partition, long From, List<RestConsumedRecord> Records)>();
        while (reads.Count > 0)
        {
            var finished = await Task.WhenAny(reads);
            reads.Remove(finished);
            done.Add(await finished);
            if (wait > TimeSpan.Zero && done.Any(d => d.Records.Count > 0))
            {
                break;
            }
        }

        var records = new List<RestConsumedRecord>();
        var bytes = 0;
        foreach (var (partition, from, read) in done)
        {
            // A seek while the read was out wins over what the read found.
            if (!_positions.TryGetValue(partition, out var position) || position != from)
            {
                continue;
            }

            foreach (var record in read)
            {
                if (records.Count > 0 && bytes + (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0) > maxBytes)
                {
                    break;
                }

                bytes += (record.Key?.Length ?? 0) + (record.Value?.Length ?? 0);
                records.Add(record);
                _positions[partition] = record.Offset + 1;
            }
        }

        return records;
    }

    /// <summary>The data records of whole batches from <paramref name="from"/> on; control batches (transaction markers) are skipped.</summary>
    private static List<RestConsumedRecord> Decode(RestTopicPartition partition, long from, ReadOnlySpan<byte> batches)
    {
        var records = new List<RestConsumedRecord>();
        while (batches.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(batches);
            if (size > batches.Length)
            {
                break;
            }

            var batch = batches[..size];
            batches = batches[size..];
            if (RecordBatch.IsControl(batch))
            {
                continue;
            }

            var baseOffset = RecordBatch.BaseOffset(batch);
            var baseTimestamp = RecordBatch.BaseTimestamp(batch);
            var logAppendTime = RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime;
            using var view = RecordsView.Open(batch);
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                var offset = baseOffset + record.OffsetDelta;
                if (offset < from)
                {
                    continue;
                }

                records.Add(new RestConsumedRecord(
                    partition.Topic, partition.Partition, offset,
                    logAppendTime ? RecordBatch.MaxTimestamp(batch) : baseTimestamp + record.TimestampDelta,
                    record.HasKey ? record.Key.ToArray() : null,
                    record.HasValue ? record.Value.ToArray() : null));
            }
        }

        return records;
    }
}
