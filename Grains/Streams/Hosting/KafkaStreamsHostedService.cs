using Microsoft.Extensions.Hosting;

namespace Tributary.Grains.Streams.Hosting;

/// <summary>
/// Runs a stream application for as long as its host runs: started with the host (internal topics created, global
/// stores read, threads started), closed when the host stops (each thread commits and leaves the group).
/// </summary>
public sealed class KafkaStreamsHostedService(KafkaStreams streams) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => streams.StartAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => streams.CloseAsync().WaitAsync(cancellationToken);
}
