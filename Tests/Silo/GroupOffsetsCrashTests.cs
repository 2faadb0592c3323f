using System.Collections.Concurrent;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Tests.Silo.Support;

namespace Tributary.Tests.Silo;

/// <summary>Committed offsets in the real Silo process, killed with SIGKILL while commits are in flight.</summary>
public sealed class GroupOffsetsCrashTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task EveryAcknowledgedCommit_SurvivesAKillDashNine()
    {
        const int Partitions = 4;
        var acknowledged = new ConcurrentDictionary<int, long>();
        var sent = new ConcurrentDictionary<int, long>();
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            var group = silo.Client.GetGrain<IConsumerGroupGrain>("crash-group");
            using var stop = new CancellationTokenSource();

            // As a consumer using assign(): no member id, generation -1. Each partition's offsets only go up.
            var committers = Enumerable.Range(0, Partitions).Select(p => Task.Run(async () =>
            {
                for (var offset = 1L; !stop.IsCancellationRequested; offset++)
                {
                    sent[p] = offset;
                    try
                    {
                        var errors = await group.CommitOffsetsAsync(new OffsetCommitRequestData("", null, -1,
                            [new OffsetToCommit("orders", p, offset, 3, $"m{offset}")]));
                        Assert.Equal([ErrorCode.None], errors);
                        acknowledged[p] = offset;
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            })).ToArray();

            while (acknowledged.Count < Partitions || acknowledged.Values.Min() < 200)
            {
                await Task.Delay(20);
            }

            await stop.CancelAsync();
            await silo.KillAsync();
            await Task.WhenAll(committers);
        }

        await using var restarted = await SiloProcess.StartAsync(_data);
        var committed = await restarted.Client.GetGrain<IConsumerGroupGrain>("crash-group").FetchOffsetsAsync(null);

        Assert.Equal(Enumerable.Range(0, Partitions), committed.Select(c => c.Partition).Order());
        foreach (var offset in committed)
        {
            Assert.Equal("orders", offset.Topic);
            Assert.InRange(offset.Offset, acknowledged[offset.Partition], sent[offset.Partition]);
            Assert.Equal(3, offset.LeaderEpoch);
            Assert.Equal($"m{offset.Offset}", offset.Metadata);
        }
    }
}
