using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// The source offset of an <c>incrementing</c> table, <c>{"incrementing": n}</c>, as a read-only map of one entry. Every
/// record carries its offset, and a dictionary's buckets and entries for that one pair cost more than the record's row.
/// The value is boxed when it is read, which the runtime does for a poll's last record only.
/// </summary>
internal sealed class IncrementingOffsetMap(long incrementing) : IReadOnlyDictionary<string, object?>
{
    private object Boxed => incrementing;

    public int Count => 1;

    public IEnumerable<string> Keys => [SourceOffset.IncrementingField];

    public IEnumerable<object?> Values => [Boxed];

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' was not present in the offset.");

    public bool ContainsKey(string key) => string.Equals(key, SourceOffset.IncrementingField, StringComparison.Ordinal);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        value = ContainsKey(key) ? Boxed : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return new KeyValuePair<string, object?>(SourceOffset.IncrementingField, Boxed);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
