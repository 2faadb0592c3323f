namespace Tributary.Gateway.Tls;

/// <summary>
/// What was loaded from a store file, loaded again when the file changes, so that a renewed certificate is served
/// without a restart (as Kafka's dynamic keystore update does, here on the file alone). A handshake looks at the file at
/// most once per <see cref="CheckInterval"/>; a new file that cannot be loaded (half written, a wrong password) leaves
/// the last good one in use, and is tried again at the next check. Inline PEM text never changes. Thread-safe.
/// </summary>
public sealed class ReloadingStore<T>
    where T : class
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly Func<T> _load;
    private readonly string? _path;
    private readonly TimeProvider _time;
    private readonly Action<Exception> _failed;
    private readonly Lock _reloading = new();
    private T _current;
    private (DateTime Written, long Length) _loadedVersion;
    private long _lastCheck;

    /// <summary>Loads at once: a store that cannot be loaded at start stops the start.</summary>
    public ReloadingStore(Func<T> load, string? path, TimeProvider time, Action<Exception> failed)
    {
        _load = load;
        _path = string.IsNullOrWhiteSpace(path) ? null : path;
        _time = time;
        _failed = failed;
        _loadedVersion = Version();
        _current = load();
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>What the file holds now, as far as the last check saw.</summary>
    public T Current
    {
        get
        {
            if (_path is not null && _time.GetElapsedTime(Volatile.Read(ref _lastCheck)) >= CheckInterval)
            {
                Check();
            }

            return Volatile.Read(ref _current);
        }
    }

    private void Check()
    {
        lock (_reloading)
        {
            if (_time.GetElapsedTime(_lastCheck) < CheckInterval)
            {
                return;
            }

            Volatile.Write(ref _lastCheck, _time.GetTimestamp());
            var version = Version();
            if (version == _loadedVersion)
            {
                return;
            }

            try
            {
                Volatile.Write(ref _current, _load());
                _loadedVersion = version;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                _failed(e);
            }
        }
    }

    private (DateTime, long) Version()
    {
        if (_path is null)
        {
            return default;
        }

        var file = new FileInfo(_path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }
}
