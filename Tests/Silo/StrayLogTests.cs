using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>A partition directory whose topic no longer exists (deleted while its broker was away) is removed by the retention check.</summary>
public sealed class StrayLogTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "stray-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task ADeletedTopicsDirectory_IsRemoved_AndALiveTopicsIsKept()
    {
        var stray = Path.Combine(_data, "ghost-0");
        Directory.CreateDirectory(stray);
        File.WriteAllBytes(Path.Combine(stray, "00000000000000000000.log"), new byte[100]);

        await using var silo = await SiloLauncher.StartAsync(
            _data, new Dictionary<string, string> { ["Tributary__RetentionCheckInterval"] = "00:00:00.500" });
        using (var client = new RawKafkaClient(silo.KafkaPort))
        {
            // Metadata v4+ with auto-creation creates a live topic whose directory must stay.
            client.Call<MetadataResponse>(
                ApiKey.Metadata, 9, new MetadataRequest { Topics = [new() { Name = "alive" }], AllowAutoTopicCreation = true });
            client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 10_000,
                TopicData = [new() { Name = "alive", PartitionData = [new() { Index = 0, Records = Batches.Make(2) }] }],
            });
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Directory.Exists(stray) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists(stray), silo.Output);
        await Task.Delay(1500);
        Assert.True(Directory.Exists(Path.Combine(_data, "alive-0")));
        Assert.Contains("ghost-0", silo.Output, StringComparison.Ordinal);
    }
}
