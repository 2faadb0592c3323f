using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Orleans.Storage;

namespace Tributary.Grains.Persistence;

/// <summary>
/// Durable grain storage in a local directory, for the embedded single-broker platform: one file per grain state
/// (<see cref="GrainStateFile"/>), replaced atomically, so a state that was written survives a restart and a kill -9,
/// and a crash mid-write leaves the previous state. When <c>durable</c> (the default) every write is also fsynced,
/// so that it survives a power loss too.
/// <para>ETags are version numbers. A write or clear whose ETag is not the stored version fails with
/// <see cref="InconsistentStateException"/>. Operations on one grain's state are serialized here; file I/O runs on
/// the thread pool, never on a grain's scheduler.</para>
/// </summary>
public sealed class FileGrainStorage(string name, string rootDirectory, IGrainStorageSerializer serializer, bool durable = true) : IGrainStorage
{
    private const int MaxFileNameLength = 200;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithLock(stateName, grainId, path =>
        {
            var contents = GrainStateFile.Read(path);
            grainState.ETag = contents?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = contents?.Payload is not null;
            grainState.State = contents?.Payload is { } payload
                ? serializer.Deserialize<T>(new BinaryData(payload))!
                : Activator.CreateInstance<T>();
        });

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithLock(stateName, grainId, path =>
        {
            var next = CheckETag(path, grainState.ETag, grainId, "write") + 1;
            GrainStateFile.Write(path, next, serializer.Serialize(grainState.State).ToMemory().Span, cleared: false, durable);
            grainState.ETag = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        });

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithLock(stateName, grainId, path =>
        {
            var next = CheckETag(path, grainState.ETag, grainId, "clear") + 1;
            GrainStateFile.Write(path, next, [], cleared: true, durable);
            grainState.ETag = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = false;
            grainState.State = Activator.CreateInstance<T>();
        });

    /// <summary>Returns the stored version (0 when none) after checking that the caller's ETag names it.</summary>
    private static long CheckETag(string path, string? etag, GrainId grainId, string operation)
    {
        var stored = GrainStateFile.Read(path)?.Version;
        var storedETag = stored?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.Equals(storedETag, etag, StringComparison.Ordinal))
        {
            throw new InconsistentStateException(
                $"Version conflict on {operation} of {grainId}: stored ETag {storedETag ?? "(none)"}, caller's {etag ?? "(none)"}.",
                storedETag,
                etag);
        }

        return stored ?? 0;
    }

    private async Task WithLock(string stateName, GrainId grainId, Action<string> action)
    {
        var path = PathOf(stateName, grainId);
        var gate = _locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Run(() =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                action(path);
            }).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private string PathOf(string stateName, GrainId grainId) => PathOf(rootDirectory, stateName, grainId);

    /// <summary>The file that holds a grain's state under <paramref name="rootDirectory"/>.</summary>
    internal static string PathOf(string rootDirectory, string stateName, GrainId grainId) =>
        Path.Combine(rootDirectory, Escape(stateName), Escape(grainId.Type.ToString()!), Escape(grainId.Key.ToString()!) + ".state");

    /// <summary>A file name for any string: percent-escaped, or a hash when that would be too long.</summary>
    private static string Escape(string value)
    {
        var escaped = Uri.EscapeDataString(value);
        if (escaped.Length <= MaxFileNameLength && escaped is not ("." or ".."))
        {
            return escaped;
        }

        return "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }
}
