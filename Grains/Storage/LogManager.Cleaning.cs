using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Cleaner;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage;

public sealed partial class LogManager
{
    private readonly Lock _cleanerLock = new();
    private LogCleaner? _cleaner;
    private CleanerOptions? _cleanerOptions;

    /// <summary>The log cleaner, once started.</summary>
    public LogCleaner? Cleaner => Volatile.Read(ref _cleaner);

    /// <summary>The logs open now.</summary>
    public IEnumerable<PartitionLog> OpenLogs => _open.Values;

    /// <summary>
    /// Starts the log cleaner with <paramref name="options"/>, or restarts it when they changed (Kafka reconfigures
    /// its cleaner on a change of the dynamic <c>log.cleaner.*</c> configs the same way: the threads are replaced; a
    /// cleaning in progress stops, with nothing committed for its group, and the next one resumes from the checkpoint).
    /// </summary>
    public void ConfigureCleaner(CleanerOptions options)
    {
        LogCleaner? old;
        lock (_cleanerLock)
        {
            if (IsShutDown || options == _cleanerOptions)
            {
                return;
            }

            old = _cleaner;
            var cleaner = new LogCleaner(DataDirectory, options, () => OpenLogs, _time, _loggerFactory.CreateLogger<LogCleaner>());
            old?.Dispose();
            cleaner.Start();
            _cleanerOptions = options;
            Volatile.Write(ref _cleaner, cleaner);
        }
    }

    private void StopCleaner()
    {
        lock (_cleanerLock)
        {
            _cleaner?.Dispose();
            Volatile.Write(ref _cleaner, null);
        }
    }
}
