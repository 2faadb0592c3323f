namespace Tributary.Gateway.Tls;

/// <summary>
/// What was loaded from a store file, loaded again when the file changes, so that a renewed certificate is served
/// without a restart (as Kafka's dynamic keystore update does, here on the file alone). A handshake looks at the file at
/// most once per <see cref="CheckInterval"/>, and compares its bytes (a copy may keep the old file's time and length);
/// a new file that cannot be loaded (half written, a wrong password) leaves the last good one in use, is reported once,
/// and is tried again when its bytes change. Inline PEM text never changes. Thread-safe.
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
    private byte[] _seenVersion;
    private long _lastCheck;

    /// <summary>Loads at once: a store that cannot be loaded at start stops the start.</summary>
    public ReloadingStore(Func<T> load, string? path, TimeProvider time, Action<Exception> failed)
    {
        _load = load;
        _path = string.IsNullOrWhiteSpace(path) ? null : path;
        _time = time;
        _failed = failed;
        _seenVersion = Version();
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
            if (version.AsSpan().SequenceEqual(_seenVersion))
            {
                return;
            }

            _seenVersion = version;
            try
            {
                Volatile.Write(ref _current, _load());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                _failed(e);
            }
        }
    }

    /// <summary>A digest of the file's bytes; empty when there is no file, or it cannot be read now.</summary>
    private byte[] Version()
    {
        if (_path is null)
        {
            return [];
        }

        try
        {
            return System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
