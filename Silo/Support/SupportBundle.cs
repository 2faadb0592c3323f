using System.IO.Compression;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage;

namespace Tributary.Silo.Support;

/// <summary>
/// What an operator attaches to a bug report, as one zip: the silo's settings (secrets masked), the cluster's
/// membership and brokers, its topics and partition states, the log directories' sizes, the silo's recent warnings and
/// errors, a snapshot of its metrics, and the .NET runtime's and the machine's facts. Made on request, kept nowhere:
/// nothing leaves the machine unless the user sends it. A part that cannot be read (the cluster unreachable) is
/// replaced by the reason, and the rest is still written.
/// </summary>
public sealed class SupportBundle(IServiceProvider services, IConfiguration configuration, RecentLogs logs, TimeProvider time)
{
    /// <summary>The configuration sections shown: the platform's own, never the whole environment.</summary>
    private static readonly string[] Sections = ["Tributary", "Orleans", "Logging", "Kestrel"];

    /// <summary>At most this many log directories are listed, the largest first.</summary>
    public const int MaxLogDirectories = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(Stream output, int healthPort, CancellationToken cancellationToken)
    {
        var settings = Settings();
        var mask = new SecretMask(settings);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await AddAsync(zip, "configuration.json", mask, () => Task.FromResult<object>(
            new SortedDictionary<string, string>(settings.ToDictionary(s => s.Key, s => mask.Setting(s.Key, s.Value)), StringComparer.OrdinalIgnoreCase)));
        await AddAsync(zip, "cluster.json", mask, ClusterAsync);
        await AddAsync(zip, "topics.json", mask, () => TopicsAsync(mask));
        await AddAsync(zip, "log-directories.json", mask, () => Task.FromResult(LogDirectories()));
        // Masked before they are written as JSON, whose escapes would hide a secret's characters from the last pass.
        await AddAsync(zip, "recent-warnings-and-errors.json", mask, () => Task.FromResult<object>(new
        {
            written = logs.Written,
            kept = logs.Snapshot().Select(e => e with { Message = mask.Text(e.Message), Exception = e.Exception is null ? null : mask.Text(e.Exception) }),
        }));
        await AddTextAsync(zip, "metrics.txt", mask, () => MetricsAsync(healthPort, cancellationToken));
        await AddAsync(zip, "runtime.json", mask, () => Task.FromResult(Runtime()));
    }

    private List<KeyValuePair<string, string?>> Settings() =>
    [
        .. configuration.AsEnumerable()
            .Where(s => s.Value is not null && (Sections.Any(section => s.Key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
                                               || s.Key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))),
    ];

    private async Task<object> ClusterAsync()
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var brokers = services.GetRequiredService<LiveBrokers>().Active();
        return new
        {
            brokerId = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TributaryOptions>>().Value.BrokerId,
            brokers = brokers.OrderBy(b => b.Key).Select(b => new { id = b.Key, silo = b.Value.ToString() }),
            silos = hosts.Select(h => new
            {
                silo = h.SiloAddress.ToString(),
                name = h.SiloName,
                host = h.HostName,
                status = h.Status.ToString(),
                started = h.StartTime,
                lastAlive = h.IAmAliveTime,
            }),
        };
    }

    private async Task<object> TopicsAsync(SecretMask mask)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var topics = new List<object>();
        foreach (var name in await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync())
        {
            if (await grains.GetGrain<ITopicGrain>(name).DescribeAsync() is not { } topic)
            {
                continue;
            }

            topics.Add(new
            {
                name = topic.Name,
                id = topic.TopicId,
                configs = topic.Configs.ToDictionary(c => c.Key, c => mask.Setting(c.Key, c.Value)),
                partitions = topic.Partitions.Select((p, i) => new
                {
                    partition = i,
                    leader = p.Leader,
                    leaderEpoch = p.LeaderEpoch,
                    replicas = p.Replicas,
                    isr = p.Isr,
                    underReplicated = p.Isr.Count < p.Replicas.Count,
                    offline = p.Leader < 0,
                }),
            });
        }

        return topics;
    }

    private object LogDirectories()
    {
        var root = services.GetRequiredService<LogManager>().DataDirectory;
        var directories = new DirectoryInfo(root).EnumerateDirectories()
            .Select(d => (d.Name, Files: d.EnumerateFiles("*", SearchOption.AllDirectories).ToList()))
            .Select(d => new { name = d.Name, bytes = d.Files.Sum(f => f.Length), files = d.Files.Count })
            .OrderByDescending(d => d.bytes)
            .ToList();
        var drive = new DriveInfo(root);
        return new
        {
            path = root,
            totalBytes = directories.Sum(d => d.bytes),
            diskFreeBytes = drive.AvailableFreeSpace,
            diskTotalBytes = drive.TotalSize,
            directoryCount = directories.Count,
            directories = directories.Take(MaxLogDirectories),
        };
    }

    private static async Task<string> MetricsAsync(int healthPort, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync($"http://127.0.0.1:{healthPort}/metrics", cancellationToken);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadAsStringAsync(cancellationToken)
            : $"# /metrics answered {(int)response.StatusCode}: metrics are off (Tributary:Metrics:Enabled false).\n";
    }

    private object Runtime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var memory = GC.GetGCMemoryInfo();
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        return new
        {
            tributary = Version(typeof(SupportBundle).Assembly),
            orleans = Version(typeof(Grain).Assembly),
            framework = RuntimeInformation.FrameworkDescription,
            runtimeIdentifier = RuntimeInformation.RuntimeIdentifier,
            os = RuntimeInformation.OSDescription,
            osArchitecture = RuntimeInformation.OSArchitecture.ToString(),
            processArchitecture = RuntimeInformation.ProcessArchitecture.ToString(),
            machine = Environment.MachineName,
            processors = Environment.ProcessorCount,
            processId = Environment.ProcessId,
            started = process.StartTime.ToUniversalTime(),
            uptime = time.GetUtcNow() - process.StartTime.ToUniversalTime(),
            totalProcessorTime = process.TotalProcessorTime,
            workingSetBytes = process.WorkingSet64,
            serverGc = GCSettings.IsServerGC,
            gcHeapBytes = memory.HeapSizeBytes,
            gcAvailableMemoryBytes = memory.TotalAvailableMemoryBytes,
            gcCollections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            threads = process.Threads.Count,
            threadPoolThreads = ThreadPool.ThreadCount,
            threadPoolMinWorkers = minWorkers,
            threadPoolMinIo = minIo,
            pendingWorkItems = ThreadPool.PendingWorkItemCount,
        };
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";

    private static Task AddAsync(ZipArchive zip, string name, SecretMask mask, Func<Task<object>> content) =>
        AddTextAsync(zip, name, mask, async () => JsonSerializer.Serialize(await content(), Json));

    /// <summary>Adds one part, masked; a part that cannot be read becomes a note of why.</summary>
    private static async Task AddTextAsync(ZipArchive zip, string name, SecretMask mask, Func<Task<string>> content)
    {
        string text;
        try
        {
            text = await content();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            text = JsonSerializer.Serialize(new JsonObject { ["unavailable"] = mask.Text($"{e.GetType().Name}: {e.Message}") }, Json);
        }

        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = entry.Open();
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(mask.Text(text));
    }
}
