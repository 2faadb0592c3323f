using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// Every silo, every <c>Tributary:Connect:EnsureRunningInterval</c>, asks the Connect cluster to make sure its
/// connectors and tasks run: after a silo's death the next round activates its connectors and tasks on the survivors,
/// which start from the committed offsets. Rounds from several silos are shared by the cluster grain.
/// </summary>
internal sealed partial class ConnectKeeper(IGrainFactory grains, ConnectWorker worker, ILogger<ConnectKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(worker.EnsureRunningInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await grains.GetGrain<IConnectClusterGrain>(0).EnsureRunningAsync().WaitAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRoundFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The Connect cluster's round failed; the next one follows")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
