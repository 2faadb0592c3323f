using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Tests.Connect.File;

/// <summary>Stored source offsets in memory, keyed by the file name of the partition, as the runtime would keep them.</summary>
internal sealed class FakeOffsetStorageReader : IOffsetStorageReader
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, object?>> _offsets = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public void Store(string filename, object? position) =>
        _offsets[filename] = new Dictionary<string, object?> { ["position"] = position };

    public ValueTask<IReadOnlyDictionary<string, object?>?> OffsetAsync(
        IReadOnlyDictionary<string, object?> partition, CancellationToken cancellationToken = default)
    {
        Lookups++;
        return ValueTask.FromResult(
            partition.Count == 1 && partition.TryGetValue("filename", out var name) && name is string filename
                ? _offsets.GetValueOrDefault(filename)
                : null);
    }

    public async ValueTask<IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?> Offset)>> OffsetsAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> partitions, CancellationToken cancellationToken = default)
    {
        var found = new List<(IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>)>();
        foreach (var partition in partitions)
        {
            if (await OffsetAsync(partition, cancellationToken) is { } offset)
            {
                found.Add((partition, offset));
            }
        }

        return found;
    }
}
