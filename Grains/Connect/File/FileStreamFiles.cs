namespace Tributary.Grains.Connect.File;

/// <summary>How both connectors read their <c>file</c> setting and why standard input is refused.</summary>
internal static class FileStreamFiles
{
    /// <summary>
    /// Kafka reads from the worker's standard input when <c>file</c> is unset; a Tributary worker is a server whose
    /// standard input is not a data stream (and offsets cannot be tracked on it), so the source connector refuses it.
    /// </summary>
    public const string StdinRefusal =
        "Reading from standard input is not supported: a Tributary Connect worker runs as a server process without a " +
        "usable standard input. Set 'file' to the path of the file to read.";

    /// <summary>The trimmed file name (Kafka trims string configurations), or null when it is blank.</summary>
    public static string? Normalize(string? file) => string.IsNullOrWhiteSpace(file) ? null : file.Trim();
}
