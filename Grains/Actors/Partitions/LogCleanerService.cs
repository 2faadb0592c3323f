using System.Globalization;
using Microsoft.Extensions.Hosting;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// Runs the log manager's cleaner with the broker's <c>log.cleaner.*</c> configs, and reconfigures it when those
/// (dynamic) configs change, as Kafka's LogCleaner does on a dynamic broker config update.
/// </summary>
internal sealed class LogCleanerService(LogManager logs, LocalBrokerConfigs configs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        configs.Changed += OnChanged;
        logs.ConfigureCleaner(Options(configs.View));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        configs.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <summary>The cleaner's settings under Kafka's broker config names.</summary>
    internal static CleanerOptions Options(BrokerConfigView view) => new()
    {
        Enabled = view.Bool("log.cleaner.enable"),
        Threads = view.Int("log.cleaner.threads"),
        DedupeBufferSize = view.Long("log.cleaner.dedupe.buffer.size"),
        DedupeBufferLoadFactor = Double(view, "log.cleaner.io.buffer.load.factor"),
        IoBufferSize = view.Int("log.cleaner.io.buffer.size"),
        IoMaxBytesPerSecond = Double(view, "log.cleaner.io.max.bytes.per.second"),
        BackoffMs = view.Long("log.cleaner.backoff.ms"),
    };

    private void OnChanged(BrokerConfigView view) => logs.ConfigureCleaner(Options(view));

    private static double Double(BrokerConfigView view, string name) => double.Parse(view.Value(name)!, CultureInfo.InvariantCulture);
}
