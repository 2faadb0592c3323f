using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka.Brokers;

/// <summary>
/// When the silo becomes active, makes sure no other live silo is the same broker, then registers this broker's
/// advertised endpoint, before it reports ready, so that every gateway of the cluster can name it in Metadata from then on.
/// </summary>
public sealed partial class BrokerRegistration(
    ClusterBrokers brokers,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    BrokerIdentity self,
    IOptions<BrokerRegistrationOptions> options,
    ILogger<BrokerRegistration> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    public bool Registered { get; private set; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BrokerRegistration), ServiceLifecycleStage.Active, RegisterAsync, _ => Task.CompletedTask);

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await WaitUntilSoleBrokerAsync(cancellationToken);

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

    private async Task WaitUntilSoleBrokerAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.Value.DuplicateBrokerIdWait;
        while (Other() is { } other)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(
                    $"Broker id {self.BrokerId} is already taken by the live silo {other}: give every silo its own Tributary:BrokerId.");
            }

            LogDuplicate(logger, self.BrokerId, other.ToString());
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private SiloAddress? Other() => membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local.SiloAddress))
        .Where(m => BrokerNames.TryParse(m.Name, out var id) && id == self.BrokerId)
        .Select(m => m.SiloAddress)
        .FirstOrDefault();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering this broker's endpoint failed, retrying: {Reason}")]
    private static partial void LogRetry(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker id {BrokerId} is also held by the active silo {Other}; waiting for it to leave the cluster")]
    private static partial void LogDuplicate(ILogger logger, int brokerId, string other);
}
