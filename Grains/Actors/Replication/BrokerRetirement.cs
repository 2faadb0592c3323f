using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// Retires this broker from where it runs (Confluent's broker removal, asked by the broker itself): it is marked
/// draining, so that the cluster's balancer moves its replicas to the other brokers, and the call waits until it holds
/// none. Kubernetes' scale-down asks it before it stops a pod (<c>/lifecycle/pre-stop</c>).
/// </summary>
public sealed class BrokerRetirement(IGrainFactory grains, IOptions<TributaryOptions> options)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Marks the broker draining and waits until no partition lists it among its replicas. Returns how many replicas it
    /// still holds when <paramref name="cancellationToken"/> ends the wait (0 once drained).
    /// </summary>
    public async Task<int> RetireAsync(CancellationToken cancellationToken)
    {
        var self = options.Value.BrokerId;
        await grains.GetGrain<IBrokerRegistryGrain>(0).DrainAsync(self);
        while (true)
        {
            var held = (await RegisteredPartitions.ListAsync(grains)).Count(p => p.Registration.Replicas.Contains(self));
            if (held == 0)
            {
                return 0;
            }

            try
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return held;
            }
        }
    }
}
