using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>A source connector's offsets in memory, shared by the runs of a test as the offsets topic would be.</summary>
internal sealed class InMemoryOffsetStore : ISourceOffsetStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _offsets = new(StringComparer.Ordinal);

    public int CommitCount { get; private set; }

    /// <summary>How many of the next commits fail as a commit to a silo that just died does.</summary>
    public int FailingCommits { get; set; }

    public IReadOnlyDictionary<string, string> Offsets
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_offsets, StringComparer.Ordinal);
            }
        }
    }

    public void Set(string partition, string offset)
    {
        lock (_gate)
        {
            _offsets[partition] = offset;
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ReadAsync(IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, string> found = partitions.Where(_offsets.ContainsKey).Distinct().ToDictionary(p => p, p => _offsets[p], StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task CommitAsync(IReadOnlyDictionary<string, string> offsets, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (FailingCommits-- > 0)
            {
                throw new Tributary.Grains.Connect.Api.RetriableException("the offsets' silo is gone");
            }

            foreach (var (partition, offset) in offsets)
            {
                _offsets[partition] = offset;
            }

            CommitCount++;
        }

        return Task.CompletedTask;
    }
}
