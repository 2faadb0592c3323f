using System.Collections;
using System.Globalization;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// A Connect value as Java's <c>toString()</c> shows it, which is what Kafka's StringConverter writes: numbers as Java
/// prints them, lists <c>[a, b]</c>, maps <c>{k=v}</c>, structs <c>Struct{a=1,b=x}</c> (set fields only), dates as
/// <c>java.util.Date</c> in UTC (<c>Thu Jan 01 00:00:00 UTC 1970</c>). Java prints a byte array as its identity
/// (<c>[B@1b6d3586</c>), which no one can use; bytes are written as base64 instead.
/// </summary>
public static class JavaStrings
{
    public static string ToJavaString(object? value) => value switch
    {
        null => "null",
        string text => text,
        bool b => b ? "true" : "false",
        float f => JavaNumberFormat.Float(f),
        double d => JavaNumberFormat.Double(d),
        decimal m => JavaNumberFormat.Decimal(m),
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime date => FormatDate(date),
        Struct s => FormatStruct(s),
        IDictionary map => "{" + string.Join(", ", Entries(map).Select(e => ToJavaString(e.Key) + "=" + ToJavaString(e.Value))) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(ToJavaString)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The entries through the dictionary's own enumerator: a generic dictionary's plain one yields key-value pairs instead.</summary>
    private static IEnumerable<DictionaryEntry> Entries(IDictionary map)
    {
        foreach (DictionaryEntry entry in map)
        {
            yield return entry;
        }
    }

    private static string FormatStruct(Struct value) =>
        "Struct{" + string.Join(",", value.Schema.Fields
            .Select(f => (f.Name, Value: value.GetWithoutDefault(f.Name)))
            .Where(p => p.Value is not null)
            .Select(p => p.Name + "=" + ToJavaString(p.Value))) + "}";

    private static string FormatDate(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
    }
}
