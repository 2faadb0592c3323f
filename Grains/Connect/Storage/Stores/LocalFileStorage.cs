using System.Runtime.CompilerServices;
using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Storage.Stores;

/// <summary>
/// A store on the local file system, <c>store.url=file:///path</c>. A commit fsyncs the temporary file, then renames
/// it to its committed path, which POSIX makes atomic: a crash leaves the file at one path or the other, whole. (The
/// directory entry is not fsynced, as the partition log's new segments are not: a power loss may undo a rename that
/// a process crash cannot.) Thread-safe.
/// </summary>
public sealed class LocalFileStorage : IStorage
{
    private readonly string _root;

    public LocalFileStorage(string url)
    {
        Url = url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsFile || !Path.IsPathRooted(uri.LocalPath))
        {
            throw new ConfigException("store.url", url, "A local store's URL is file:///absolute/path.");
        }

        _root = Path.GetFullPath(uri.LocalPath);
    }

    public string Url { get; }

    public Task<Stream> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Stream stream = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        return Task.FromResult(stream);
    }

    public async Task CommitAsync(string tempPath, string committedPath, CancellationToken cancellationToken)
    {
        var temp = Full(tempPath);
        var committed = Full(committedPath);
        await using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous))
        {
            file.Flush(flushToDisk: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(committed)!);
        if (File.Exists(committed))
        {
            File.Delete(temp); // committed before a crash that came before the temporary file was gone
            return;
        }

        File.Move(temp, committed, overwrite: false);
    }

    public async IAsyncEnumerable<string> ListAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var full = Full(directory);
        if (!Directory.Exists(full))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(Full(path)) || Directory.Exists(Full(path)));

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(Full(path));
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));

    // A path below the root; one that climbs out of it ("../") is refused.
    private string Full(string path)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        return full == _root || full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"The path {path} is outside the store {Url}.", nameof(path));
    }
}
