namespace Tributary.Grains.Connect.Storage.Stores;

/// <summary>
/// Where the sink's files live (Confluent's storage <c>Storage</c> interface, chosen by <c>storage.class</c> and
/// <c>store.url</c>): files are written whole under a temporary path, then committed to their final path in one
/// step that either happens entirely or not at all, so a reader (or the sink recovering after a crash) sees a
/// committed file complete or not at all. Paths are relative to the store's root and use '/' between directories.
/// </summary>
public interface IStorage
{
    /// <summary>The store's location as configured, for messages.</summary>
    string Url { get; }

    /// <summary>A new file at <paramref name="path"/> (its directories made as needed), written through the stream returned.</summary>
    Task<Stream> CreateAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the complete file at <paramref name="tempPath"/> visible at <paramref name="committedPath"/>, durably, in one
    /// step. A file already committed there (a commit repeated after a crash) is kept and the temporary file dropped.
    /// </summary>
    Task CommitAsync(string tempPath, string committedPath, CancellationToken cancellationToken);

    /// <summary>The files below <paramref name="directory"/>, at any depth, as paths relative to the store's root.</summary>
    IAsyncEnumerable<string> ListAsync(string directory, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Reads a committed file (for recovery and tests).</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);
}
