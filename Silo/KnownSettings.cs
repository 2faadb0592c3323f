using Microsoft.Extensions.Configuration;

namespace Tributary.Silo;

/// <summary>
/// Refuses a configuration key that no setting reads (a typo, Kafka's dotted name, a setting not served), so that a
/// setting is never accepted and ignored: each key of a section must name a settable property of its options class,
/// and the keys of a nested options class are checked in turn (a dictionary's keys are its own).
/// </summary>
internal static class KnownSettings
{
    public static void Check(IConfigurationSection section, Type options)
    {
        var known = options.GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!known.TryGetValue(child.Key, out var property))
            {
                throw new InvalidOperationException($"{section.Path}: {child.Key} is not a setting here; the settings are {string.Join(", ", known.Keys)}.");
            }

            var type = property.PropertyType;
            if (type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
            {
                Check(child, type);
            }
        }
    }
}
