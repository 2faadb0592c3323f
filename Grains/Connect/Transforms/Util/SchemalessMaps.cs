using System.Collections;
using System.Globalization;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Helpers for schemaless map values. Transforms always produce <see cref="Dictionary{TKey,TValue}"/> of string to
/// object (Kafka produces <c>HashMap&lt;String, Object&gt;</c>), whatever dictionary type they were given.
/// </summary>
public static class SchemalessMaps
{
    /// <summary>A new string-keyed copy of <paramref name="map"/>, in its enumeration order.</summary>
    public static Dictionary<string, object?> Copy(IDictionary map)
    {
        var copy = new Dictionary<string, object?>(map.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            copy[KeyOf(entry.Key)] = entry.Value;
        }

        return copy;
    }

    /// <summary>The value under <paramref name="key"/>, or null when there is none (as Java's <c>Map.get</c>).</summary>
    public static object? Get(IDictionary map, string key) => map.Contains(key) ? map[key] : null;

    /// <summary>Keys of schemaless maps are strings; anything else is shown as its invariant text rather than failing.</summary>
    public static string KeyOf(object key) => key as string ?? Convert.ToString(key, CultureInfo.InvariantCulture) ?? "";
}
