using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Files;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Tests.Connect.Storage.Files;

/// <summary>Committed file names, the local store's commit by rename, and the offsets recovered from the names.</summary>
public sealed class CommittedFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tributary-storage-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData("orders", 3, 0L, 999L, ".parquet", 10, "orders+3+0000000000+0000000999.parquet")]
    [InlineData("my.topic-v1_x", 12, 1_000L, 1_499L, ".avro", 10, "my.topic-v1_x+12+0000001000+0000001499.avro")]
    [InlineData("t", 0, 5L, 5L, ".json", 3, "t+0+005+005.json")]
    [InlineData("t", 0, 123_456L, 123_999L, "", 3, "t+0+123456+123999")]
    [InlineData("logs", 1, 7L, 9L, ".snappy.parquet", 10, "logs+1+0000000007+0000000009.snappy.parquet")]
    public void ANameIsWritten_AndReadBack(string topic, int partition, long start, long end, string extension, int width, string expected)
    {
        var name = new CommittedFileName(topic, partition, start, end, extension);

        Assert.Equal(expected, name.Format(width));
        Assert.True(CommittedFileName.TryParse(expected, out var parsed));
        Assert.Equal(name, parsed);
    }

    [Theory]
    [InlineData("6c2f0e1c-11b6-4b4a-9e2d-5a1b8c0e7f3a_tmp.parquet")]
    [InlineData("orders+3+0000000000.parquet")]
    [InlineData("orders+x+0000000000+0000000009.parquet")]
    [InlineData("orders+3+0000000010+0000000009.parquet")]
    [InlineData("ord ers+3+0000000000+0000000009.parquet")]
    [InlineData("orders+3+0000000000+0000000009.parquet.")]
    public void OtherNames_AreNotCommittedFiles(string fileName) => Assert.False(CommittedFileName.TryParse(fileName, out _));

    [Fact]
    public async Task ACommittedFile_IsWhole_AtItsPath_AndTheTemporaryFileIsGone()
    {
        var storage = new LocalFileStorage(new Uri(_root).AbsoluteUri);
        await WriteAsync(storage, "topics/+tmp/orders/partition=0/a_tmp.json", "one\ntwo\n");

        await storage.CommitAsync("topics/+tmp/orders/partition=0/a_tmp.json", "topics/orders/partition=0/orders+0+0000000000+0000000001.json", CancellationToken.None);

        Assert.False(await storage.ExistsAsync("topics/+tmp/orders/partition=0/a_tmp.json", CancellationToken.None));
        Assert.Equal("one\ntwo\n", await ReadAsync(storage, "topics/orders/partition=0/orders+0+0000000000+0000000001.json"));
        Assert.Equal(["topics/orders/partition=0/orders+0+0000000000+0000000001.json"], await ListAsync(storage, "topics/orders"));
    }

    [Fact]
    public async Task ACommitRepeatedAfterACrash_KeepsTheCommittedFile()
    {
        var storage = new LocalFileStorage("file://" + _root);
        await WriteAsync(storage, "tmp/first", "first");
        await storage.CommitAsync("tmp/first", "data/t+0+0000000000+0000000000.json", CancellationToken.None);
        await WriteAsync(storage, "tmp/again", "again");

        await storage.CommitAsync("tmp/again", "data/t+0+0000000000+0000000000.json", CancellationToken.None);

        Assert.Equal("first", await ReadAsync(storage, "data/t+0+0000000000+0000000000.json"));
        Assert.False(await storage.ExistsAsync("tmp/again", CancellationToken.None));
    }

    [Fact]
    public async Task APathOutsideTheStore_IsRefused()
    {
        var storage = new LocalFileStorage("file://" + _root);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.CreateAsync("../elsewhere/file", CancellationToken.None));
    }

    [Theory]
    [InlineData("hdfs://namenode:8020/data")]
    [InlineData("file://relative/path")]
    [InlineData("not a url")]
    public void AUrlThatIsNotALocalAbsolutePath_IsAConfigException(string url) =>
        Assert.Throws<ConfigException>(() => new LocalFileStorage(url));

    [Fact]
    public async Task TheNextOffset_IsOnePastTheLargestCommittedEndOffset_OfThatPartitionOnly()
    {
        var storage = new LocalFileStorage("file://" + _root);
        foreach (var path in new[]
        {
            "topics/orders/year=2024/month=05/orders+0+0000000000+0000000099.parquet",
            "topics/orders/year=2024/month=06/orders+0+0000000100+0000000249.parquet",
            "topics/orders/year=2024/month=06/orders+1+0000000000+0000000999.parquet",
            "topics/orders/year=2024/month=06/orders+0+0000000250+0000000260.parquet.tmp-but-not",
            "topics/+tmp/orders/year=2024/month=06/5b0e_tmp.parquet",
        })
        {
            await WriteAsync(storage, path, "x");
        }

        Assert.Equal(250L, await CommittedOffsets.NextOffsetAsync(storage, "topics/orders", "orders", 0, CancellationToken.None));
        Assert.Equal(1_000L, await CommittedOffsets.NextOffsetAsync(storage, "topics/orders", "orders", 1, CancellationToken.None));
        Assert.Null(await CommittedOffsets.NextOffsetAsync(storage, "topics/orders", "orders", 2, CancellationToken.None));
        Assert.Null(await CommittedOffsets.NextOffsetAsync(storage, "topics/payments", "payments", 0, CancellationToken.None));
    }

    private static async Task WriteAsync(IStorage storage, string path, string text)
    {
        await using var stream = await storage.CreateAsync(path, CancellationToken.None);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    private static async Task<string> ReadAsync(IStorage storage, string path)
    {
        await using var stream = await storage.OpenReadAsync(path, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task<List<string>> ListAsync(IStorage storage, string directory)
    {
        var paths = new List<string>();
        await foreach (var path in storage.ListAsync(directory, CancellationToken.None))
        {
            paths.Add(path);
        }

        return paths;
    }
}
