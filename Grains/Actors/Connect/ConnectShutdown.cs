using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>The Connect tasks running on this silo, so that a stopping silo can stop them while everything they commit to still answers.</summary>
public sealed class LocalConnectTasks
{
    private readonly ConcurrentDictionary<(string Connector, int Task), byte> _running = new();

    public void Add(string connector, int task) => _running.TryAdd((connector, task), 0);

    public void Remove(string connector, int task) => _running.TryRemove((connector, task), out _);

    public IReadOnlyList<(string Connector, int Task)> Snapshot() => [.. _running.Keys];
}

/// <summary>
/// A stopping silo first stops its Connect tasks (stage <see cref="ServiceLifecycleStage.Active"/>, the first to
/// stop), as Kafka's worker does: each commits its offsets while the grains those commits go to (source offsets,
/// consumer groups, partitions) still run. Stopped by grain deactivation later, a task's last commit could find them
/// gone, and the records since the previous commit would come again after the restart.
/// </summary>
internal sealed partial class ConnectShutdown(LocalConnectTasks tasks, IGrainFactory grains, ILogger<ConnectShutdown> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ConnectShutdown), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopTasksAsync);

    private async Task StopTasksAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(tasks.Snapshot().Select(async t =>
        {
            try
            {
                await ConnectTaskKeys.Get(grains, t.Connector, t.Task).StopAsync().WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogStopFailed(logger, e, t.Connector, t.Task);
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Task} of connector {Connector} did not stop cleanly before the silo stopped")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string connector, int task);
}
