using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Replication;
using Tributary.Tests.Grains.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Grains.Partitions;

/// <summary>
/// Records read for another silo travel as <see cref="PooledBytes"/>: the sender's pooled array goes back to its
/// pool once the answer is written into the message, the receiver gets the same bytes in a pooled array of its own,
/// and within a silo the answer is passed as it is.
/// </summary>
public sealed class PooledBytesTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(s => s.AddAssembly(typeof(ReadResult).Assembly).AddAssembly(typeof(PooledBytes).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void Serializing_WritesTheBytes_GivesTheSendersArrayBack_AndReadsThemIntoAPooledArray()
    {
        var sent = PooledBuffer.Rent(3000);
        Random.Shared.NextBytes(sent.WritableSpan);
        var expected = sent.WritableSpan.ToArray();
        var response = new ReplicaFetchResponse(ErrorCode.None, new PooledBytes(sent.Memory), 10, 0, 12);

        var wire = _serializer.SerializeToArray(response);

        Assert.Throws<ObjectDisposedException>(() => sent.Memory.Span.Length);
        var received = _serializer.Deserialize<ReplicaFetchResponse>(wire)!;
        Assert.Equal(expected, received.Records.Span.ToArray());
        Assert.Equal((10L, 0L, 12L), (received.HighWatermark, received.LogStartOffset, received.LogEndOffset));
        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, PooledBuffer>(received.Records.Memory, out _));
        PooledBuffer.Release(received.Records.Memory);
    }

    [Fact]
    public void EmptyAndPlainArrays_RoundTrip()
    {
        var empty = _serializer.Deserialize<ReadResult>(_serializer.SerializeToArray(new ReadResult(ErrorCode.OffsetOutOfRange, PooledBytes.Empty, 1, 1, 0)))!;
        Assert.True(empty.Records.IsEmpty);
        Assert.Equal(ErrorCode.OffsetOutOfRange, empty.Error);

        byte[] plain = [1, 2, 3, 4, 5];
        var sliced = new ReadResult(ErrorCode.None, new PooledBytes(plain.AsMemory(1, 3)), 5, 5, 0);
        Assert.Equal(new byte[] { 2, 3, 4 }, _serializer.Deserialize<ReadResult>(_serializer.SerializeToArray(sliced))!.Records.Span.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, plain);
    }

    [Fact]
    public async Task AReadFromAnotherSilo_ArrivesInAPooledArray_WithTheBytesOfALocalRead()
    {
        var topic = (await fixture.Brokers.Grains.GetGrain<ITopicGrain>("pooled-reads")
            .CreateAsync(new CreateTopicRequest(1, 1, new Dictionary<string, string?>()))).Topic!;
        var owner = fixture.Brokers.Cluster.Silos[topic.PartitionBrokers[0] - 1];
        var other = fixture.Brokers.Cluster.Silos.Single(s => s.SiloAddress != owner.SiloAddress);
        var local = PartitionGrainKey.Get(fixture.Brokers.Cluster.GetSiloServiceProvider(owner.SiloAddress).GetRequiredService<IGrainFactory>(), "pooled-reads", 0);
        var remote = PartitionGrainKey.Get(fixture.Brokers.Cluster.GetSiloServiceProvider(other.SiloAddress).GetRequiredService<IGrainFactory>(), "pooled-reads", 0);
        await local.AppendAsync(Batches.Make(50));

        var request = new ReadRequest(0, 1 << 20, TimeSpan.Zero);
        var here = await local.ReadAsync(request);
        var there = await remote.ReadAsync(request);

        Assert.Equal(ErrorCode.None, there.Error);
        Assert.False(there.Records.IsEmpty);
        Assert.Equal(here.Records.Span.ToArray(), there.Records.Span.ToArray());
        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, PooledBuffer>(there.Records.Memory, out _));
        PooledBuffer.Release(here.Records.Memory);
        PooledBuffer.Release(there.Records.Memory);
    }
}
