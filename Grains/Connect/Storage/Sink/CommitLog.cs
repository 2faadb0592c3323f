using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// The write-ahead log of one topic partition's file commits (the HDFS connector's WAL, in
/// <c>&lt;logs.dir&gt;/&lt;topic&gt;/&lt;partition&gt;/log</c>). A rotation commits several files at once, one per encoded
/// partition; since the next offset to read is recovered from the largest end offset among committed names, a crash
/// between two of those renames would lose the records of the files not yet committed. So the whole set of
/// (temporary, committed) pairs is first committed to the store as the log file, in one step; then the files are
/// committed; then the log is deleted. Recovery finishes the renames of a log it finds, which a store's commit
/// allows to repeat. Format: a JSON object <c>{"files":[{"temp":…,"committed":…}]}</c>. Not thread-safe.
/// </summary>
public sealed class CommitLog(IStorage storage, string directory)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The log's path in the store.</summary>
    public string LogPath { get; } = directory + "/log";

    /// <summary>Commits every file of <paramref name="files"/>, all or none across a crash (once recovered).</summary>
    public async Task CommitAsync(IReadOnlyList<PendingCommit> files, CancellationToken cancellationToken)
    {
        var temp = $"{directory}/log.{Guid.NewGuid():N}.tmp";
        await using (var stream = await storage.CreateAsync(temp, cancellationToken).ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, new Entries(files), Json, cancellationToken).ConfigureAwait(false);
        }

        await storage.CommitAsync(temp, LogPath, cancellationToken).ConfigureAwait(false);
        await ApplyAsync(files, cancellationToken).ConfigureAwait(false);
        await storage.DeleteAsync(LogPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Finishes the commits of a log left by a crash and removes it, with any log that was being written; returns
    /// the files it committed. A file whose temporary and committed forms are both gone is reported, not invented.
    /// </summary>
    public async Task<IReadOnlyList<PendingCommit>> RecoverAsync(Action<PendingCommit> lost, CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingCommit> files = [];
        if (await storage.ExistsAsync(LogPath, cancellationToken).ConfigureAwait(false))
        {
            await using (var stream = await storage.OpenReadAsync(LogPath, cancellationToken).ConfigureAwait(false))
            {
                files = (await JsonSerializer.DeserializeAsync<Entries>(stream, Json, cancellationToken).ConfigureAwait(false))?.Files ?? [];
            }

            foreach (var file in files)
            {
                if (!await storage.ExistsAsync(file.Temp, cancellationToken).ConfigureAwait(false) &&
                    !await storage.ExistsAsync(file.Committed, cancellationToken).ConfigureAwait(false))
                {
                    lost(file);
                }
            }

            await ApplyAsync(files, cancellationToken).ConfigureAwait(false);
            await storage.DeleteAsync(LogPath, cancellationToken).ConfigureAwait(false);
        }

        var stale = new List<string>();
        await foreach (var path in storage.ListAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (path.EndsWith(".tmp", StringComparison.Ordinal))
            {
                stale.Add(path);
            }
        }

        foreach (var path in stale)
        {
            await storage.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }

        return files;
    }

    private async Task ApplyAsync(IReadOnlyList<PendingCommit> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            if (await storage.ExistsAsync(file.Temp, cancellationToken).ConfigureAwait(false))
            {
                await storage.CommitAsync(file.Temp, file.Committed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record Entries([property: JsonPropertyName("files")] IReadOnlyList<PendingCommit> Files);
}

/// <summary>A file written under <paramref name="Temp"/> to be committed at <paramref name="Committed"/>.</summary>
public sealed record PendingCommit(
    [property: JsonPropertyName("temp")] string Temp,
    [property: JsonPropertyName("committed")] string Committed);
