using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Actors.Transactions;

namespace Tributary.Tests.Grains.Persistence;

public sealed class LogGrainStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tributary-tests", "state-log-" + Guid.NewGuid().ToString("N"));
    private readonly OrleansGrainStorageSerializer _serializer =
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());
    private readonly GrainId _grain = GrainId.Create("transaction-coordinator", "orders-app/with:odd%chars");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private LogGrainStorage Open() => new("transactions", _root, _serializer);

    private static GrainState<TransactionState> State(TransactionState? value = null, string? etag = null) =>
        new(value ?? new TransactionState()) { ETag = etag };

    [Fact]
    public async Task AStateThatWasWritten_IsReadBackAfterARestart_WithAVersionETag()
    {
        using (var storage = Open())
        {
            var written = State(new TransactionState { ProducerId = 7, ProducerEpoch = 3, Status = TransactionStatus.Ongoing });
            await storage.WriteStateAsync("transaction", _grain, written);
            written.State!.Status = TransactionStatus.PrepareCommit;
            await storage.WriteStateAsync("transaction", _grain, written);
            Assert.Equal("2", written.ETag);
        }

        using var restarted = Open();
        var read = State();
        await restarted.ReadStateAsync("transaction", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
        Assert.Equal((7L, (short)3, TransactionStatus.PrepareCommit), (read.State!.ProducerId, read.State.ProducerEpoch, read.State.Status));
    }

    [Fact]
    public async Task AWriteWithAStaleETag_IsAnInconsistentStateException_AndChangesNothing()
    {
        using var storage = Open();
        var first = State(new TransactionState { ProducerId = 1 });
        await storage.WriteStateAsync("transaction", _grain, first);
        var other = State();
        await storage.ReadStateAsync("transaction", _grain, other);
        other.State!.ProducerId = 2;
        await storage.WriteStateAsync("transaction", _grain, other);

        first.State!.ProducerId = 9;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("transaction", _grain, first));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("transaction", _grain, State(etag: null)));

        var read = State();
        await storage.ReadStateAsync("transaction", _grain, read);
        Assert.Equal(2, read.State!.ProducerId);
    }

    [Fact]
    public async Task Clear_RemovesTheRecord_ForGood()
    {
        using (var storage = Open())
        {
            var state = State(new TransactionState { ProducerId = 1 });
            await storage.WriteStateAsync("transaction", _grain, state);
            await storage.ClearStateAsync("transaction", _grain, state);
            Assert.False(state.RecordExists);
        }

        using var restarted = Open();
        var read = State();
        await restarted.ReadStateAsync("transaction", _grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal(-1, read.State!.ProducerId);
        await restarted.WriteStateAsync("transaction", _grain, read);
        Assert.Equal("1", read.ETag);
    }

    /// <summary>A state file as the broker wrote them before the log, at version <paramref name="version"/>.</summary>
    private string WriteLegacyFile(TransactionState state, long version)
    {
        var path = GrainStateFile.PathOf(_root, "transaction", _grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GrainStateFile.Write(path, version, _serializer.Serialize(state).ToArray(), cleared: false);
        return path;
    }

    [Fact]
    public async Task AStateStoredAsAFileBeforeTheLog_IsFound_AndMovedIntoTheLog()
    {
        WriteLegacyFile(new TransactionState { ProducerId = 42, Status = TransactionStatus.Ongoing, Partitions = { new("orders", 1) } }, version: 2);
        Assert.Single(Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories));

        using (var storage = Open())
        {
            var read = State();
            await storage.ReadStateAsync("transaction", _grain, read);
            Assert.True(read.RecordExists);
            Assert.Equal("2", read.ETag);
            Assert.Equal(42, read.State!.ProducerId);
            Assert.Equal("orders", Assert.Single(read.State.Partitions).Topic);
            Assert.Empty(Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories));

            read.State.Status = TransactionStatus.PrepareAbort;
            await storage.WriteStateAsync("transaction", _grain, read);
            Assert.Equal("3", read.ETag);
        }

        using var restarted = Open();
        var again = State();
        await restarted.ReadStateAsync("transaction", _grain, again);
        Assert.Equal((TransactionStatus.PrepareAbort, "3"), (again.State!.Status, again.ETag));
    }

    [Fact]
    public async Task ACorruptFileFromBeforeTheLog_IsReported_NotReadAsEmpty()
    {
        var path = WriteLegacyFile(new TransactionState { ProducerId = 42 }, version: 1);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        using var storage = Open();
        await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadStateAsync("transaction", _grain, State()));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task DurableWrites_OfManyGrainsAtOnce_AllComplete_AndAreReadBackAfterARestart()
    {
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("transaction-coordinator", $"app-{i}")).ToList();
        using (var storage = new LogGrainStorage("durable", _root, _serializer, durable: true))
        {
            await Task.WhenAll(grains.Select(async (grain, i) =>
            {
                var state = State(new TransactionState { ProducerId = i });
                await storage.WriteStateAsync("transaction", grain, state);
                state.State!.ProducerEpoch = 1;
                await storage.WriteStateAsync("transaction", grain, state);
            }));
        }

        using var restarted = new LogGrainStorage("durable", _root, _serializer, durable: true);
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var read = State();
            await restarted.ReadStateAsync("transaction", grain, read);
            Assert.Equal((i, (short)1, "2"), (read.State!.ProducerId, read.State.ProducerEpoch, read.ETag));
        }
    }
}
