using System.Text.Json;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Offsets;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Grains.Interfaces.Connect;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// The connector's offsets through the REST API (KIP-875): a source's are its stored source offsets, a sink's the
/// committed offsets of its group <c>connect-&lt;name&gt;</c>; they may be altered or reset only while it is STOPPED.
/// </summary>
public sealed partial class ConnectorGrain
{
    private const string KafkaTopic = "kafka_topic";
    private const string KafkaPartition = "kafka_partition";
    private const string KafkaOffset = "kafka_offset";

    private IConsumerGroupGrain SinkGroup => GrainFactory.GetGrain<IConsumerGroupGrain>("connect-" + Name);

    public async Task<ConnectResult<IReadOnlyList<ConnectorOffset>>> GetOffsetsAsync()
    {
        if (!Exists)
        {
            return NotFound<IReadOnlyList<ConnectorOffset>>();
        }

        if (state.State.Type == "source")
        {
            return ConnectResult<IReadOnlyList<ConnectorOffset>>.Ok(await GrainFactory.GetGrain<ISourceOffsetsGrain>(Name).GetAllAsync());
        }

        var committed = await SinkGroup.FetchOffsetsAsync(null);
        return ConnectResult<IReadOnlyList<ConnectorOffset>>.Ok([.. committed
            .Where(c => c.Offset >= 0)
            .OrderBy(c => c.Topic, StringComparer.Ordinal).ThenBy(c => c.Partition)
            .Select(c => new ConnectorOffset(
                JsonSerializer.Serialize(new Dictionary<string, object> { [KafkaTopic] = c.Topic, [KafkaPartition] = c.Partition }),
                JsonSerializer.Serialize(new Dictionary<string, object> { [KafkaOffset] = c.Offset })))]);
    }

    public async Task<ConnectResult<string>> AlterOffsetsAsync(IReadOnlyList<ConnectorOffset> offsets)
    {
        if (!Exists)
        {
            return NotFound<string>();
        }

        if (state.State.TargetState != ConnectorTargetState.Stopped)
        {
            return NotStopped();
        }

        try
        {
            var checkedByConnector = state.State.Type == "source" ? await AlterSourceOffsetsAsync(offsets) : await AlterSinkOffsetsAsync(offsets);
            return ConnectResult<string>.Ok(checkedByConnector
                ? "The offsets for this connector have been altered successfully"
                : "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.");
        }
        catch (Exception e) when (e is Tributary.Grains.Connect.Api.ConnectException or JsonException or FormatException)
        {
            return ConnectResult<string>.Error(400, e.Message);
        }
    }

    public async Task<ConnectResult<string>> ResetOffsetsAsync()
    {
        if (!Exists)
        {
            return NotFound<string>();
        }

        if (state.State.TargetState != ConnectorTargetState.Stopped)
        {
            return NotStopped();
        }

        // As Kafka's worker, the connector sees the reset as an alteration of every partition it has an offset for to
        // null, and its answer chooses the message.
        bool checkedByConnector;
        try
        {
            checkedByConnector = state.State.Type == "source" ? await ResetSourceOffsetsAsync() : await ResetSinkOffsetsAsync();
        }
        catch (Exception e) when (e is Tributary.Grains.Connect.Api.ConnectException or JsonException or FormatException)
        {
            return ConnectResult<string>.Error(400, e.Message);
        }

        return ConnectResult<string>.Ok(checkedByConnector
            ? "The offsets for this connector have been reset successfully"
            : "The Connect framework-managed offsets for this connector have been reset successfully. However, if this connector manages offsets externally, they will need to be manually reset in the system that the connector uses.");
    }

    private async Task<bool> ResetSourceOffsetsAsync()
    {
        var offsets = GrainFactory.GetGrain<ISourceOffsetsGrain>(Name);
        var partitions = (await offsets.GetAllAsync()).Select(o => (Partition: OffsetJson.Read(o.PartitionJson), Offset: (IReadOnlyDictionary<string, object?>?)null)).ToList();
        var connector = worker.Plugins.Create<SourceConnector>(worker.Plugins.Require(state.State.Config![ConnectorConfig.ConnectorClass], PluginKind.Source));
        var checkedByConnector = connector.AlterOffsets(state.State.Config!, partitions);
        await WriteOffsetsTopicAsync([.. (await offsets.GetAllAsync()).Select(o => new ConnectorOffset(o.PartitionJson, null))]);
        await offsets.ClearAsync();
        return checkedByConnector;
    }

    private async Task<bool> ResetSinkOffsetsAsync()
    {
        var partitions = (await SinkGroup.FetchOffsetsAsync(null))
            .Where(c => c.Offset >= 0)
            .ToDictionary(c => new TopicPartition(c.Topic, c.Partition), _ => (long?)null);
        var connector = worker.Plugins.Create<SinkConnector>(worker.Plugins.Require(state.State.Config![ConnectorConfig.ConnectorClass], PluginKind.Sink));
        var checkedByConnector = connector.AlterOffsets(state.State.Config!, partitions);
        await SinkGroup.DeleteAsync();
        return checkedByConnector;
    }

    private async Task<bool> AlterSourceOffsetsAsync(IReadOnlyList<ConnectorOffset> offsets)
    {
        var parsed = offsets.Select(o => (Partition: OffsetJson.Read(o.PartitionJson), Offset: o.OffsetJson is null ? null : OffsetJson.Read(o.OffsetJson))).ToList();
        var connector = worker.Plugins.Create<SourceConnector>(worker.Plugins.Require(state.State.Config![ConnectorConfig.ConnectorClass], PluginKind.Source));
        var checkedByConnector = connector.AlterOffsets(state.State.Config!, parsed);
        var altered = parsed.Select(p => new ConnectorOffset(OffsetJson.Write(p.Partition), p.Offset is null ? null : OffsetJson.Write(p.Offset))).ToList();
        await WriteOffsetsTopicAsync(altered);
        await GrainFactory.GetGrain<ISourceOffsetsGrain>(Name).CommitAsync(altered);
        return checkedByConnector;
    }

    /// <summary>
    /// With exactly-once sources, the offsets topic is where tasks read their offsets: an alteration or reset is written
    /// there too (outside any transaction, so read_committed readers see it at once; a removal as a tombstone).
    /// </summary>
    private async Task WriteOffsetsTopicAsync(IReadOnlyList<ConnectorOffset> offsets)
    {
        if (!worker.Config.ExactlyOnceSource || offsets.Count == 0)
        {
            return;
        }

        var topic = state.State.Config!.GetValueOrDefault(ConnectorConfig.OffsetsStorageTopic) is { Length: > 0 } own ? own.Trim() : worker.Config.OffsetsTopic;
        await ConnectTopics.EnsureOffsetsTopicAsync(GrainFactory, topic);
        await new PartitionRecordWriter(GrainFactory, TimeProvider.System).WriteAsync(
            [.. offsets.Select(o => OffsetRecords.Write(topic, Name, o.PartitionJson, o.OffsetJson))], CancellationToken.None);
    }

    private async Task<bool> AlterSinkOffsetsAsync(IReadOnlyList<ConnectorOffset> offsets)
    {
        var parsed = new Dictionary<TopicPartition, long?>();
        foreach (var offset in offsets)
        {
            var partition = OffsetJson.Read(offset.PartitionJson);
            if (partition.GetValueOrDefault(KafkaTopic) is not string topic || partition.GetValueOrDefault(KafkaPartition) is not long index)
            {
                throw new Tributary.Grains.Connect.Api.ConnectException(
                    $"Partitions for sink connectors must contain the keys '{KafkaTopic}' (a string) and '{KafkaPartition}' (an integer)");
            }

            long? value = null;
            if (offset.OffsetJson is not null)
            {
                value = OffsetJson.Read(offset.OffsetJson).GetValueOrDefault(KafkaOffset) is long o && o >= 0
                    ? o
                    : throw new Tributary.Grains.Connect.Api.ConnectException($"Offsets for sink connectors must contain the key '{KafkaOffset}' with a non-negative integer");
            }

            parsed[new TopicPartition(topic, (int)index)] = value;
        }

        var connector = worker.Plugins.Create<SinkConnector>(worker.Plugins.Require(state.State.Config![ConnectorConfig.ConnectorClass], PluginKind.Sink));
        var checkedByConnector = connector.AlterOffsets(state.State.Config!, parsed);
        var commits = parsed.Where(p => p.Value is not null).Select(p => new OffsetToCommit(p.Key.Topic, p.Key.Partition, p.Value!.Value, -1, null)).ToList();
        if (commits.Count > 0)
        {
            var errors = await SinkGroup.CommitOffsetsAsync(new OffsetCommitRequestData("", null, -1, commits));
            if (errors.FirstOrDefault(e => e != ErrorCode.None) is var failed && failed != ErrorCode.None)
            {
                throw new Tributary.Grains.Connect.Api.ConnectException("Failed to alter consumer group offsets: " + failed);
            }
        }

        var removals = parsed.Where(p => p.Value is null).Select(p => new GroupTopicPartition(p.Key.Topic, p.Key.Partition)).ToList();
        if (removals.Count > 0)
        {
            await SinkGroup.DeleteOffsetsAsync(removals);
        }

        return checkedByConnector;
    }

    private ConnectResult<string> NotStopped() => ConnectResult<string>.Error(400,
        $"Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/{Name}/stop' endpoint");
}
