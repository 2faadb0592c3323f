using System.Globalization;
using Orleans.Storage;
using Tributary.Grains.Storage.State;

namespace Tributary.Grains.Actors.Persistence;

/// <summary>
/// Grain state as records of one <see cref="StateLog"/> under the data directory: the embedded broker's control-plane
/// and transaction state. A write is one append to a file, where a file per grain cost a create and a rename per
/// write; with <c>durable</c> it is also fsynced, concurrent writes sharing one fdatasync. Survives a kill -9 either way.
/// <para>ETags are the log's versions: a write or clear whose ETag is not the stored version fails with
/// <see cref="InconsistentStateException"/>. A state that is not in the log yet but was stored as a
/// <see cref="GrainStateFile"/> (under the same root, before this log) is moved into the log when first read, so that
/// an upgraded broker still finds its topics, groups and open transactions.</para>
/// <para>It takes part in the silo's lifecycle so that Orleans creates it, and opens its log, while the silo starts: a
/// log that cannot be opened (held by another broker, or damaged) stops start-up, not a grain's first activation.</para>
/// </summary>
public sealed class LogGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly string _rootDirectory;
    private readonly IGrainStorageSerializer _serializer;
    private readonly StateLog _log;

    public LogGrainStorage(string name, string rootDirectory, IGrainStorageSerializer serializer, bool durable = false)
    {
        (Name, _rootDirectory, _serializer) = (name, rootDirectory, serializer);
        _log = StateLog.Open(Path.Combine(rootDirectory, Uri.EscapeDataString(name) + ".statelog"), durable);
    }

    public string Name { get; }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (version, value) = await ReadOrImportAsync(stateName, grainId);
        grainState.ETag = version == 0 ? null : version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = value is not null;
        grainState.State = value is not null ? _serializer.Deserialize<T>(new BinaryData(value))! : Activator.CreateInstance<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var value = _serializer.Serialize(grainState.State).ToMemory();
        var (version, position) = Write(stateName, grainId, grainState.ETag, value.Span, remove: false);
        await _log.WhenDurableAsync(position);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _log.WhenDurableAsync(Write(stateName, grainId, grainState.ETag, [], remove: true).Position);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        // Opened in the constructor already: there is nothing left to start.
    }

    public void Dispose() => _log.Dispose();

    private async Task<(long Version, byte[]? Value)> ReadOrImportAsync(string stateName, GrainId grainId)
    {
        var key = KeyOf(stateName, grainId);
        var stored = _log.Read(key);
        if (stored.Version != 0)
        {
            return stored;
        }

        var legacyPath = GrainStateFile.PathOf(_rootDirectory, stateName, grainId);
        if (GrainStateFile.Read(legacyPath) is not { Payload: { } payload } legacy)
        {
            return stored;
        }

        // The file goes only once its contents are as durable in the log as they were in it.
        await _log.WhenDurableAsync(_log.Import(key, legacy.Version, payload));
        File.Delete(legacyPath);
        return (legacy.Version, payload);
    }

    private (long Version, long Position) Write(string stateName, GrainId grainId, string? etag, ReadOnlySpan<byte> value, bool remove)
    {
        var key = KeyOf(stateName, grainId);
        var expected = etag is null ? 0 : long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture);
        if (_log.TryWrite(key, expected, value, remove) is { } written)
        {
            return written;
        }

        var stored = _log.Read(key).Version.ToString(CultureInfo.InvariantCulture);
        throw new InconsistentStateException(
            $"Version conflict on {(remove ? "clear" : "write")} of {grainId}: stored ETag {stored}, caller's {etag ?? "(none)"}.", stored, etag);
    }

    private static string KeyOf(string stateName, GrainId grainId) => string.Concat(stateName, "/", grainId.ToString());
}
