using System.Collections;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>
/// The ordered headers of a Connect record (Kafka's <c>ConnectHeaders</c>): a key may repeat, order is kept. Mutable, as
/// Kafka's are; <see cref="ConnectRecord{TRecord}.NewRecord"/> gives the new record a copy so that transforms do not
/// change the headers of the record they were given.
/// </summary>
public sealed class ConnectHeaders : IReadOnlyCollection<ConnectHeader>
{
    // Made at the first header: most records have none, and every record read or transformed gets headers of its own.
    private List<ConnectHeader>? _headers;

    public ConnectHeaders()
    {
    }

    public ConnectHeaders(IEnumerable<ConnectHeader> headers)
    {
        if (headers is not ICollection<ConnectHeader> { Count: 0 } and not IReadOnlyCollection<ConnectHeader> { Count: 0 })
        {
            _headers = [.. headers];
        }
    }

    public int Count => _headers?.Count ?? 0;

    public bool IsEmpty => Count == 0;

    public ConnectHeaders Add(ConnectHeader header)
    {
        (_headers ??= []).Add(header);
        return this;
    }

    public ConnectHeaders Add(string key, SchemaAndValue value) => Add(new ConnectHeader(key, value.Schema, value.Value));

    public ConnectHeaders Add(string key, object? value, Schema? schema)
    {
        if (schema is not null)
        {
            ConnectValues.Validate(schema, value);
        }

        return Add(new ConnectHeader(key, schema, value));
    }

    public ConnectHeaders AddString(string key, string? value) => Add(key, value, value is null ? Schema.OptionalString : Schema.String);

    public ConnectHeaders AddInt(string key, int value) => Add(key, value, Schema.Int32);

    public ConnectHeaders AddLong(string key, long value) => Add(key, value, Schema.Int64);

    /// <summary>The last header with that key, or null (Kafka's <c>lastWithName</c>).</summary>
    public ConnectHeader? LastWithName(string key) => _headers?.LastOrDefault(h => h.Key == key);

    public IEnumerable<ConnectHeader> AllWithName(string key) => _headers?.Where(h => h.Key == key) ?? [];

    public ConnectHeaders Remove(string key)
    {
        _headers?.RemoveAll(h => h.Key == key);
        return this;
    }

    /// <summary>Keeps only the last header of each key, in place.</summary>
    public ConnectHeaders RetainLatest()
    {
        if (_headers is null)
        {
            return this;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = _headers.Count - 1; i >= 0; i--)
        {
            if (!seen.Add(_headers[i].Key))
            {
                _headers.RemoveAt(i);
            }
        }

        return this;
    }

    public ConnectHeaders Clear()
    {
        _headers?.Clear();
        return this;
    }

    public ConnectHeaders Duplicate() => _headers is null ? new() : new(_headers);

    public IEnumerator<ConnectHeader> GetEnumerator() => (_headers ?? Enumerable.Empty<ConnectHeader>()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
