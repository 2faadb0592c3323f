using Azure.Storage.Blobs;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Storage.Sink;
using Tributary.Grains.Connect.Storage.Stores;
using Tributary.Tests.Connect.Storage.Sink;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Storage.Stores;

/// <summary>Starts one Azurite for the Azure store's tests.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The Azure Blob Storage store on a real Azurite: its URL forms, commits that keep a committed blob whole, and the
/// sink writing Parquet files there that DuckDB then reads.
/// </summary>
public sealed class AzureBlobStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TopicPartition Orders0 = new("orders", 0);

    [Fact]
    public async Task FilesAreInvisibleUntilCommitted_AndACommitRepeatedAfterACrashKeepsTheCommittedFile()
    {
        var container = "c" + Guid.NewGuid().ToString("N")[..12];
        var storage = AzureBlobStorage.Create($"azblob://{container}/lake", new Dictionary<string, string>
        {
            [AzureBlobStorage.ConnectionStringConfig] = azurite.Server.ConnectionString,
        });

        await using (var stream = await storage.CreateAsync("topics/+tmp/t/a_tmp.json", CancellationToken.None))
        {
            await stream.WriteAsync("{\"id\":1}\n"u8.ToArray());
        }

        Assert.Equal(["topics/+tmp/t/a_tmp.json"], await ListAsync(storage, "topics"));
        await storage.CommitAsync("topics/+tmp/t/a_tmp.json", "topics/t/t+0+0+0.json", CancellationToken.None);
        await storage.CommitAsync("topics/+tmp/t/a_tmp.json", "topics/t/t+0+0+0.json", CancellationToken.None);

        Assert.Equal(["topics/t/t+0+0+0.json"], await ListAsync(storage, "topics"));
        var blobs = new BlobContainerClient(azurite.Server.ConnectionString, container);
        var content = await blobs.GetBlobClient("lake/topics/t/t+0+0+0.json").DownloadContentAsync();
        Assert.Equal("{\"id\":1}\n", content.Value.Content.ToString());
        Assert.False(await storage.ExistsAsync("topics/+tmp/t/a_tmp.json", CancellationToken.None));
    }

    [Fact]
    public async Task TheAccountUrlForm_WithTheAccountKey_ReachesTheSameContainer()
    {
        var container = "c" + Guid.NewGuid().ToString("N")[..12];
        var storage = AzureBlobStorage.Create($"{azurite.Server.BlobEndpoint}/{container}/prefix", new Dictionary<string, string>
        {
            [AzureBlobStorage.AccountKeyConfig] = AzuriteServer.Key,
        });
        await using (var stream = await storage.CreateAsync("x/file", CancellationToken.None))
        {
            stream.WriteByte(42);
        }

        var blobs = new BlobContainerClient(azurite.Server.ConnectionString, container);
        Assert.True((await blobs.GetBlobClient("prefix/x/file").ExistsAsync()).Value);
    }

    [Fact]
    public void AnAzblobUrlWithoutCredentials_IsAConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => AzureBlobStorage.Create("azblob://data", new Dictionary<string, string>()));
        Assert.Contains("azblob.connection.string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSink_WritesParquetFilesToTheContainer_ThatDuckDbReads()
    {
        var container = "c" + Guid.NewGuid().ToString("N")[..12];
        using var local = new TempDirectory();
        var config = SinkHarness.LocalConfig(local.Path,
            ("store.url", $"azblob://{container}/lake"), ("azblob.connection.string", azurite.Server.ConnectionString),
            ("storage.class", "io.confluent.connect.azure.blob.storage.AzureBlobStorage"),
            ("format.class", "io.confluent.connect.azure.blob.format.parquet.ParquetFormat"));
        await using (var sink = new SinkHarness(config))
        {
            await sink.StartAsync(Orders0);
            await sink.PutAsync(Enumerable.Range(0, 250).Select(i => SinkHarness.Order("orders", 0, i, 1_714_557_600_000 + i)));
        }

        // A restarted task finds where the committed blobs end.
        await using (var restarted = new SinkHarness(config))
        {
            await restarted.StartAsync(Orders0);
            Assert.Equal(200, restarted.Context.Seeks[Orders0]);
        }

        var blobs = new BlobContainerClient(azurite.Server.ConnectionString, container);
        await foreach (var blob in blobs.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = "lake/topics/orders/" }))
        {
            var path = Path.Combine(local.Path, blob.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await blobs.GetBlobClient(blob.Name).DownloadToAsync(path);
        }

        var read = DuckDb.Query(
            $"SELECT count(*), count(DISTINCT id), max(id), min(partition) FROM read_parquet('{local.Path}/lake/topics/orders/**/*.parquet', hive_partitioning = true)");
        Assert.Equal([200L, 200L, 199L, 0L], read[0].Select(Convert.ToInt64));
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
