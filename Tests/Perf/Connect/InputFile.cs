namespace Tributary.Tests.Perf.Connect;

/// <summary>The source's input: N lines of exactly S ASCII bytes each (its index, then filler), written before any clock starts.</summary>
internal static class InputFile
{
    public static void Write(string path, long lines, int size)
    {
        var line = new byte[size + 1];
        Array.Fill(line, (byte)'x');
        line[size] = (byte)'\n';
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        for (long i = 0; i < lines; i++)
        {
            // The index makes lines distinct, as producer-perf's values are; at most 19 digits fit any size >= 19.
            var digits = i.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
            for (var d = 0; d < Math.Min(digits.Length, size); d++)
            {
                line[d] = (byte)digits[d];
            }

            file.Write(line);
        }
    }
}
