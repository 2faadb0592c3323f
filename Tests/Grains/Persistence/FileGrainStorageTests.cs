using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Tributary.Grains.Persistence;
using Tributary.Grains.Topics;

namespace Tributary.Tests.Grains.Persistence;

public sealed class FileGrainStorageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tributary-tests", "state-" + Guid.NewGuid().ToString("N"));
    private readonly FileGrainStorage _storage;
    private readonly GrainId _grain = GrainId.Create("topic", "orders/with:odd%chars");

    public FileGrainStorageTests()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        _storage = new FileGrainStorage("test", _root, new OrleansGrainStorageSerializer(serializer));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static GrainState<TopicState> State(TopicState? value = null, string? etag = null) =>
        new(value ?? new TopicState()) { ETag = etag };

    [Fact]
    public async Task AStateThatWasWritten_IsReadBack_WithAVersionETag()
    {
        var written = State(new TopicState { TopicId = Guid.NewGuid(), PartitionCount = 3, Configs = { ["retention.ms"] = "5" } });
        await _storage.WriteStateAsync("topic", _grain, written);

        var read = State();
        await _storage.ReadStateAsync("topic", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("1", read.ETag);
        Assert.Equal(written.State!.TopicId, read.State!.TopicId);
        Assert.Equal("5", read.State!.Configs["retention.ms"]);
    }

    [Fact]
    public async Task AWriteWithAStaleETag_IsAnInconsistentStateException_AndChangesNothing()
    {
        var first = State(new TopicState { PartitionCount = 1 });
        await _storage.WriteStateAsync("topic", _grain, first);
        var other = State();
        await _storage.ReadStateAsync("topic", _grain, other);
        other.State!.PartitionCount = 2;
        await _storage.WriteStateAsync("topic", _grain, other);

        first.State!.PartitionCount = 9;
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("topic", _grain, first));
        var fresh = State(etag: null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("topic", _grain, fresh));

        var read = State();
        await _storage.ReadStateAsync("topic", _grain, read);
        Assert.Equal(2, read.State!.PartitionCount);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Clear_RemovesTheRecord_ButKeepsTheVersionGrowing()
    {
        var state = State(new TopicState { PartitionCount = 1 });
        await _storage.WriteStateAsync("topic", _grain, state);
        await _storage.ClearStateAsync("topic", _grain, state);

        var read = State();
        await _storage.ReadStateAsync("topic", _grain, read);
        Assert.False(read.RecordExists);
        Assert.Equal("2", read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("topic", _grain, State(etag: "1")));
        await _storage.WriteStateAsync("topic", _grain, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task ACorruptFile_IsReported_NotReadAsEmpty()
    {
        await _storage.WriteStateAsync("topic", _grain, State(new TopicState { PartitionCount = 1 }));
        var file = Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        await Assert.ThrowsAsync<InvalidDataException>(() => _storage.ReadStateAsync("topic", _grain, State()));
    }

    [Fact]
    public async Task ConcurrentWritersWithTheSameETag_OnlyOneWins()
    {
        await _storage.WriteStateAsync("topic", _grain, State(new TopicState()));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await _storage.WriteStateAsync("topic", _grain, State(new TopicState { PartitionCount = i }, etag: "1"));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, attempts.Count(won => won));
    }
}
