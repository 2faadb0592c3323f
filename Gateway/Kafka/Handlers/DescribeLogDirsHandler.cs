using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>DescribeLogDirs (35): this broker's one log directory, with the size of each partition it holds.</summary>
public sealed class DescribeLogDirsHandler(
    IGrainFactory grains,
    TopicCache topics,
    PartitionRouter router,
    BrokerIdentity broker,
    BrokerSettings settings) : KafkaApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeLogDirs;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override async Task<DescribeLogDirsResponse?> HandleAsync(DescribeLogDirsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var wanted = body.Topics?.Select(t => (t.Topic, (IReadOnlyList<int>?)t.Partitions)).ToList()
            ?? (await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Select(t => (t, (IReadOnlyList<int>?)null)).ToList();
        var result = new DescribeLogDirsResponse.DescribeLogDirsResult { LogDir = settings.LogDirectory };
        foreach (var (name, partitions) in wanted)
        {
            if (await topics.DescribeAsync(name) is not { } topic)
            {
                continue;
            }

            var local = (partitions ?? Enumerable.Range(0, topic.PartitionCount).ToList())
                .Where(p => p >= 0 && p < topic.PartitionCount && topic.PartitionBrokers[p] == broker.BrokerId)
                .ToList();
            var sizes = await Task.WhenAll(local.Select(async p =>
            {
                var (_, grain, _) = await router.RouteAsync(name, p);
                var offsets = await grain!.GetOffsetsAsync();
                return new DescribeLogDirsResponse.DescribeLogDirsPartition { PartitionIndex = p, PartitionSize = offsets.SizeInBytes };
            }));
            if (sizes.Length > 0)
            {
                result.Topics.Add(new DescribeLogDirsResponse.DescribeLogDirsTopic { Name = name, Partitions = sizes.ToList() });
            }
        }

        var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(settings.LogDirectory))!);
        result.TotalBytes = drive.TotalSize;
        result.UsableBytes = drive.AvailableFreeSpace;
        return new DescribeLogDirsResponse { Results = [result] };
    }
}
