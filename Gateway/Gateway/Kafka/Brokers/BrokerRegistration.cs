using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>
/// Registers this broker's advertised endpoint when the silo becomes active, before it reports ready, so that every
/// gateway of the cluster can name it in Metadata from then on.
/// </summary>
public sealed partial class BrokerRegistration(ClusterBrokers brokers, ILogger<BrokerRegistration> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public bool Registered { get; private set; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BrokerRegistration), ServiceLifecycleStage.Active, RegisterAsync, _ => Task.CompletedTask);

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        // The registry grain may sit on a silo that is going away while this one joins: retry until it answers.
        while (true)
        {
            try
            {
                await brokers.RegisterSelfAsync().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                Registered = true;
                return;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(logger, e.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering this broker's endpoint failed, retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, string reason);
}
