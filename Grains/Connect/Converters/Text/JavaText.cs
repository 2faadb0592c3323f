namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>Java's notion of trimming and blankness (<c>String.trim</c>): every character up to U+0020 is white, and only those.</summary>
internal static class JavaText
{
    public static string Trim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && text[start] <= ' ')
        {
            start++;
        }

        while (end > start && text[end - 1] <= ' ')
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }

    public static bool IsBlank(string? text) => text is null || Trim(text).Length == 0;
}
