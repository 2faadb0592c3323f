using System.Collections.Concurrent;

namespace Tributary.Gateway.Kafka.Fetching;

/// <summary>
/// This broker's fetch sessions, by id. At most <see cref="MaxSessions"/> (Kafka's
/// <c>max.incremental.fetch.session.cache.slots</c>, 1000); when full, the least recently used session is evicted and
/// its client, on its next incremental fetch, is told FETCH_SESSION_ID_NOT_FOUND and starts a new one.
/// </summary>
public sealed class FetchSessionCache(TimeProvider time)
{
    public const int MaxSessions = 1000;

    private readonly ConcurrentDictionary<int, FetchSession> _sessions = new();
    private int _nextId;

    public int Count => _sessions.Count;

    public FetchSession Create()
    {
        if (_sessions.Count >= MaxSessions && _sessions.Values.MinBy(s => s.LastUsed) is { } oldest)
        {
            _sessions.TryRemove(oldest.Id, out _);
        }

        while (true)
        {
            var id = Interlocked.Increment(ref _nextId) & int.MaxValue;
            var session = new FetchSession(id) { LastUsed = time.GetTimestamp() };
            if (id != 0 && _sessions.TryAdd(id, session))
            {
                return session;
            }
        }
    }

    public bool TryGet(int id, out FetchSession session)
    {
        if (_sessions.TryGetValue(id, out session!))
        {
            session.LastUsed = time.GetTimestamp();
            return true;
        }

        return false;
    }

    public void Remove(int id) => _sessions.TryRemove(id, out _);
}
