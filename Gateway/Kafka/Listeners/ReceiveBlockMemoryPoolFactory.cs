using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>Gives Kestrel's socket transport <see cref="ReceiveBlockMemoryPool"/>s in place of its default pools.</summary>
public sealed class ReceiveBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new ReceiveBlockMemoryPool();
}
