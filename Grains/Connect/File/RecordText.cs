using System.Collections;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// A record value as Java's <c>println</c> prints it: <c>null</c>, maps as <c>{k=v, ...}</c>, lists as
/// <c>[a, b]</c>, structs as <c>Struct{f=v,...}</c>, everything else as <see cref="ConnectValues.Format"/> does.
/// Maps and structs are walked here because <see cref="ConnectValues.Format"/> casts a generic dictionary's entries
/// to <see cref="DictionaryEntry"/> and throws; once the Api enumerates maps through their
/// <see cref="IDictionaryEnumerator"/>, this can give way to <see cref="ConnectValues.Format"/>.
/// </summary>
internal static class RecordText
{
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => s,
        byte[] => ConnectValues.Format(value),
        Struct s => "Struct{" + string.Join(",", s.Schema.Fields
            .Select(f => (f.Name, Value: s.GetWithoutDefault(f.Name)))
            .Where(f => f.Value is not null)
            .Select(f => $"{f.Name}={Format(f.Value)}")) + "}",
        IDictionary map => "{" + string.Join(", ", Entries(map).Select(e => $"{Format(e.Key)}={Format(e.Value)}")) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => ConnectValues.Format(value),
    };

    private static IEnumerable<DictionaryEntry> Entries(IDictionary map)
    {
        // IDictionary's own enumerator yields DictionaryEntry even for generic dictionaries, whose IEnumerable yields KeyValuePair.
        var entries = map.GetEnumerator();
        while (entries.MoveNext())
        {
            yield return entries.Entry;
        }
    }
}
