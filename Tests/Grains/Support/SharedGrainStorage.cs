using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Tributary.Grains.Actors.Persistence;

namespace Tributary.Tests.Grains.Support;

/// <summary>
/// The embedded storage (<see cref="LogGrainStorage"/>) as the shared store of an in-process cluster: one instance per
/// storage name for all its silos, as a cluster's Redis or Azure Storage would be, since a state log has one writer.
/// Silos get a forwarder, so that stopping one silo does not close the store the others use; the cluster closes it.
/// </summary>
internal sealed class SharedGrainStorage(string root) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<LogGrainStorage>> _storages = new(StringComparer.Ordinal);
    private readonly OrleansGrainStorageSerializer _serializer =
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    public IGrainStorage Get(string name, bool durable) =>
        new Forwarder(_storages.GetOrAdd(name, n => new Lazy<LogGrainStorage>(() => new LogGrainStorage(n, root, _serializer, durable))).Value);

    public void Dispose()
    {
        foreach (var storage in _storages.Values.Where(s => s.IsValueCreated))
        {
            storage.Value.Dispose();
        }
    }

    private sealed class Forwarder(IGrainStorage inner) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
