using System.Collections.Concurrent;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Tests.Silo.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>The real Silo process, killed with SIGKILL or stopped with SIGTERM, then started again on its data.</summary>
public sealed class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task CreateTopic(IClusterClient client, string name, int partitions, Dictionary<string, string?>? configs = null)
    {
        var created = await client.GetGrain<ITopicGrain>(name).CreateAsync(new CreateTopicRequest(partitions, 1, configs ?? []));
        Assert.Equal(ErrorCode.None, created.Error);
    }

    private static async Task<List<(long Offset, string Value)>> ReadAll(IClusterClient client, string topic, int partition)
    {
        var grain = PartitionGrainKey.Get(client, topic, partition);
        var records = new List<(long, string)>();
        var offset = 0L;
        while (true)
        {
            var read = await grain.ReadAsync(new ReadRequest(offset, 1 << 20, TimeSpan.Zero));
            Assert.Equal(ErrorCode.None, read.Error);
            var batch = Batches.Decode(read.Records).Where(r => r.Offset >= offset).Select(r => (r.Offset, r.Value!)).ToList();
            if (batch.Count == 0)
            {
                return records;
            }

            records.AddRange(batch);
            offset = batch[^1].Offset + 1;
        }
    }

    [Theory]
    [InlineData("buffered", null)]
    [InlineData("durable", "1")]
    public async Task EveryAcknowledgedRecord_SurvivesAKillDashNine_WhileAppendsAreInFlight(string topic, string? flushMessages)
    {
        var acknowledged = new ConcurrentDictionary<(int Partition, long Offset), string>();
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            await CreateTopic(silo.Client, topic, 3, flushMessages is null ? null : new() { ["flush.messages"] = flushMessages });
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 3).Select(p => Task.Run(async () =>
            {
                var grain = PartitionGrainKey.Get(silo.Client, topic, p);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var result = await grain.AppendAsync(Batches.Make(5, first: i * 5));
                        Assert.Equal(ErrorCode.None, result.Error);
                        for (var r = 0; r < 5; r++)
                        {
                            acknowledged[(p, result.BaseOffset + r)] = $"v{i * 5 + r}";
                        }
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            })).ToArray();

            while (acknowledged.Count < 3000)
            {
                await Task.Delay(20);
            }

            // Appends already sent are in flight when the process dies; their writers stop without failing.
            await stop.CancelAsync();
            await silo.KillAsync();
            await Task.WhenAll(writers);
        }

        Assert.False(File.Exists(Path.Combine(_data, ".clean_shutdown")));
        await using var restarted = await SiloProcess.StartAsync(_data);
        output.WriteLine($"{acknowledged.Count} records acknowledged before kill -9; the restarted silo logged:");

        Assert.Contains("previous shutdown clean: False", restarted.Output);
        Assert.NotNull(await restarted.Client.GetGrain<ITopicGrain>(topic).DescribeAsync());
        for (var p = 0; p < 3; p++)
        {
            var records = await ReadAll(restarted.Client, topic, p);
            output.WriteLine($"partition {p}: {records.Count} records read back, {acknowledged.Count(a => a.Key.Partition == p)} acknowledged");
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
            var stored = records.ToDictionary(r => r.Offset, r => r.Value);
            foreach (var ((partition, offset), value) in acknowledged.Where(a => a.Key.Partition == p))
            {
                Assert.True(stored.TryGetValue(offset, out var found), $"acknowledged record {p}@{offset} was lost");
                Assert.Equal(value, found);
            }
        }

        foreach (var line in restarted.Output.Split(Environment.NewLine).Where(l => l.Contains("Tributary", StringComparison.Ordinal) || l.StartsWith("      ", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
    }

    [Fact]
    public async Task Sigterm_ShutsDownCleanly_AndTheNextStartSkipsRecovery()
    {
        await using (var silo = await SiloProcess.StartAsync(_data))
        {
            await CreateTopic(silo.Client, "graceful", 2);
            for (var p = 0; p < 2; p++)
            {
                await PartitionGrainKey.Get(silo.Client, "graceful", p).AppendAsync(Batches.Make(10));
            }

            Assert.Equal(0, await silo.TerminateAsync());
            Assert.Contains("clean-shutdown marker written", silo.Output);
        }

        Assert.True(File.Exists(Path.Combine(_data, ".clean_shutdown")));
        await using var restarted = await SiloProcess.StartAsync(_data);

        Assert.Contains("previous shutdown clean: True", restarted.Output);
        for (var p = 0; p < 2; p++)
        {
            Assert.Equal(10, (await ReadAll(restarted.Client, "graceful", p)).Count);
        }
    }

    [Fact]
    public async Task ASecondSilo_CannotOpenADataDirectoryInUse()
    {
        await using var silo = await SiloProcess.StartAsync(_data);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(_data));

        Assert.Contains("in use by another process", error.Message);
    }
}
