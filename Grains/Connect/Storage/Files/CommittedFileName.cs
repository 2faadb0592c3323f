using System.Globalization;
using System.Text.RegularExpressions;

namespace Tributary.Grains.Connect.Storage.Files;

/// <summary>
/// The name of a committed data file, as Confluent's storage connectors write it:
/// <c>&lt;topic&gt;+&lt;partition&gt;+&lt;startOffset&gt;+&lt;endOffset&gt;&lt;extension&gt;</c>, both offsets inclusive and
/// zero-padded to <c>filename.offset.zero.pad.width</c> digits (10 by default), e.g.
/// <c>orders+3+0000000000+0000000999.parquet</c>. The offsets in the names are the sink's record of what it has
/// written: at start the next offset of a partition is one past the largest end offset among its committed files.
/// Topic names cannot hold a '+', so the name splits without ambiguity.
/// </summary>
public readonly partial record struct CommittedFileName(string Topic, int Partition, long StartOffset, long EndOffset, string Extension)
{
    public const int DefaultZeroPadWidth = 10;

    public string Format(int zeroPadWidth = DefaultZeroPadWidth) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Topic}+{Partition}+{StartOffset.ToString(CultureInfo.InvariantCulture).PadLeft(zeroPadWidth, '0')}" +
            $"+{EndOffset.ToString(CultureInfo.InvariantCulture).PadLeft(zeroPadWidth, '0')}{Extension}");

    /// <summary>The parts of a committed file's name (without its directory); false for any other name.</summary>
    public static bool TryParse(string fileName, out CommittedFileName name)
    {
        var match = Pattern().Match(fileName);
        if (match.Success &&
            int.TryParse(match.Groups["partition"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) &&
            long.TryParse(match.Groups["start"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var start) &&
            long.TryParse(match.Groups["end"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var end) &&
            start <= end)
        {
            name = new CommittedFileName(match.Groups["topic"].Value, partition, start, end, match.Groups["extension"].Value);
            return true;
        }

        name = default;
        return false;
    }

    [GeneratedRegex(@"^(?<topic>[a-zA-Z0-9._-]+)\+(?<partition>[0-9]+)\+(?<start>[0-9]+)\+(?<end>[0-9]+)(?<extension>(\.[A-Za-z0-9]+)*)$")]
    private static partial Regex Pattern();
}
