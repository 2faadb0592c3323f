using System.Globalization;
using Orleans.Storage;
using Tributary.Grains.Storage.State;

namespace Tributary.Grains.Persistence;

/// <summary>
/// Grain state as records of one <see cref="StateLog"/> under the data directory, for grains that write their state
/// on nearly every request (transaction coordinators): each write is one append to a file, where
/// <see cref="FileGrainStorage"/> creates and renames a file per write. Survives a kill -9 like the file storage; with
/// <c>durable</c> every write is fsynced too.
/// <para>ETags are the log's versions: a write or clear whose ETag is not the stored version fails with
/// <see cref="InconsistentStateException"/>. A state that is not in the log yet but was stored as a file by
/// <see cref="FileGrainStorage"/> (under the same root) is moved into the log when first read, so that state stored
/// before the log existed, an open transaction's above all, is still found.</para>
/// </summary>
public sealed class LogGrainStorage : IGrainStorage, IDisposable
{
    private readonly string _rootDirectory;
    private readonly IGrainStorageSerializer _serializer;
    private readonly bool _durable;
    private readonly StateLog _log;

    public LogGrainStorage(string name, string rootDirectory, IGrainStorageSerializer serializer, bool durable = false)
    {
        (Name, _rootDirectory, _serializer, _durable) = (name, rootDirectory, serializer, durable);
        _log = StateLog.Open(Path.Combine(rootDirectory, Uri.EscapeDataString(name) + ".statelog"), durable);
    }

    public string Name { get; }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (version, value) = await Run(() => ReadOrImport(stateName, grainId));
        grainState.ETag = version == 0 ? null : version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = value is not null;
        grainState.State = value is not null ? _serializer.Deserialize<T>(new BinaryData(value))! : Activator.CreateInstance<T>();
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var value = _serializer.Serialize(grainState.State).ToMemory();
        var version = await Run(() => Write(stateName, grainId, grainState.ETag, value.Span, remove: false));
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await Run(() => Write(stateName, grainId, grainState.ETag, [], remove: true));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    public void Dispose() => _log.Dispose();

    private (long Version, byte[]? Value) ReadOrImport(string stateName, GrainId grainId)
    {
        var key = KeyOf(stateName, grainId);
        var stored = _log.Read(key);
        if (stored.Version != 0)
        {
            return stored;
        }

        var legacyPath = FileGrainStorage.PathOf(_rootDirectory, stateName, grainId);
        if (GrainStateFile.Read(legacyPath) is not { Payload: { } payload } legacy)
        {
            return stored;
        }

        _log.Import(key, legacy.Version, payload);
        File.Delete(legacyPath);
        return (legacy.Version, payload);
    }

    private long Write(string stateName, GrainId grainId, string? etag, ReadOnlySpan<byte> value, bool remove)
    {
        var expected = etag is null ? 0 : long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture);
        if (_log.TryWrite(KeyOf(stateName, grainId), expected, value, remove) is { } version)
        {
            return version;
        }

        var stored = _log.Read(KeyOf(stateName, grainId)).Version.ToString(CultureInfo.InvariantCulture);
        throw new InconsistentStateException(
            $"Version conflict on {(remove ? "clear" : "write")} of {grainId}: stored ETag {stored}, caller's {etag ?? "(none)"}.", stored, etag);
    }

    /// <summary>An append reaches the page cache in microseconds and runs inline; a durable one waits for the disk off the grain's scheduler.</summary>
    private Task<TResult> Run<TResult>(Func<TResult> operation) => _durable ? Task.Run(operation) : Task.FromResult(operation());

    private static string KeyOf(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
