using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// Closes the broker's logs at the right moment of silo shutdown: after every grain has deactivated (partition
/// grains close their own logs then), so the clean-shutdown marker is written last.
/// </summary>
internal sealed class LogManagerLifecycle(LogManager logs) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(LogManagerLifecycle),
            ServiceLifecycleStage.ApplicationServices,
            _ => Task.CompletedTask,
            _ => logs.ShutdownAsync());
}
