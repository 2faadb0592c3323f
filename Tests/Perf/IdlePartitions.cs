using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage;

namespace Tributary.Tests.Perf;

/// <summary>
/// Memory a broker keeps for partitions that have gone idle: one in-process silo, N partitions each written once
/// (so each opened its log), then every idle grain deactivated (its files closed). Reports the managed heap and the
/// resident set before, while the partitions are active, and after they are idle, and the cost per idle partition.
/// </summary>
internal static class IdlePartitions
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var partitions = arguments.Int("partitions", 10_000);
        var data = Path.Combine(Path.GetTempPath(), "tributary-perf", "idle-" + Guid.NewGuid().ToString("N")[..8]);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddTributaryBroker(o => o.DataDirectory = data)
            .AddTributaryLocalGrainStorage());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var logs = host.Services.GetRequiredService<LogManager>();
            await Warm(grains);
            var before = Measure();

            var created = await grains.GetGrain<ITopicGrain>("idle").CreateAsync(new CreateTopicRequest(partitions, 1, new Dictionary<string, string?>()));
            if (created.Error != ErrorCode.None)
            {
                throw new InvalidOperationException(created.ErrorMessage);
            }

            var batch = new RecordBatchBuilder().Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, new byte[100]).Build();
            await Parallel.ForEachAsync(Enumerable.Range(0, partitions), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (p, _) =>
            {
                var result = await PartitionGrainKey.Get(grains, "idle", p).AppendAsync(batch.ToArray());
                if (result.Error != ErrorCode.None)
                {
                    throw new InvalidOperationException(result.ErrorMessage);
                }
            });
            var active = Measure();
            var openWhileActive = logs.OpenLogCount;

            await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            var wait = Stopwatch.StartNew();
            while (logs.OpenLogCount > 0 && wait.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(200);
            }

            var idle = Measure();
            Console.WriteLine($"partitions: {partitions}, open logs while active: {openWhileActive}, after idle: {logs.OpenLogCount}");
            Console.WriteLine($"{"",-8} {"managed heap",14} {"resident set",14}");
            Print("before", before);
            Print("active", active);
            Print("idle", idle);
            Console.WriteLine($"per active partition: {(active.Heap - before.Heap) / (double)partitions / 1024:F2} KiB heap, {(active.Rss - before.Rss) / (double)partitions / 1024:F2} KiB resident");
            Console.WriteLine($"per idle partition:   {(idle.Heap - before.Heap) / (double)partitions / 1024:F2} KiB heap, {(idle.Rss - before.Rss) / (double)partitions / 1024:F2} KiB resident");
            return 0;
        }
        finally
        {
            await host.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task Warm(IGrainFactory grains)
    {
        await grains.GetGrain<ITopicGrain>("warm").CreateAsync(new CreateTopicRequest(1, 1, new Dictionary<string, string?>()));
        var batch = new RecordBatchBuilder().Append(0, null, new byte[100]).Build();
        await PartitionGrainKey.Get(grains, "warm", 0).AppendAsync(batch);
    }

    private static (long Heap, long Rss) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    private static void Print(string label, (long Heap, long Rss) m) =>
        Console.WriteLine($"{label,-8} {m.Heap / 1024.0 / 1024,10:F1} MiB {m.Rss / 1024.0 / 1024,10:F1} MiB");
}
