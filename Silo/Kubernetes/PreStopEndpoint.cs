using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Replication;

namespace Tributary.Silo.Kubernetes;

/// <summary>
/// <c>/lifecycle/pre-stop</c> on the health port, the StatefulSet's preStop hook: Kubernetes calls it before it sends
/// SIGTERM, and waits for the answer. A pod stopped to be restarted (a rolling update, a node drain) answers at once and
/// goes on to its controlled shutdown; a pod that a scale-down removes (its ordinal, the broker id, is at or above the
/// StatefulSet's replicas) first retires its broker: the cluster moves its replicas to the brokers that stay, and the
/// answer comes once it holds none (or after <see cref="KubernetesOptions.DrainTimeoutSeconds"/>). With
/// <see cref="KubernetesOptions.DrainOnScaleDown"/> off it always answers at once.
/// </summary>
public static partial class PreStopEndpoint
{
    public static void MapPreStop(this IEndpointRouteBuilder endpoints) => endpoints.MapGet("/lifecycle/pre-stop", PreStopAsync);

    private static async Task<IResult> PreStopAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<IOptions<KubernetesOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PreStopEndpoint));
        if (!settings.DrainOnScaleDown)
        {
            return Results.Text("stopping: Tributary:Kubernetes:DrainOnScaleDown is off");
        }

        var brokerId = services.GetRequiredService<IOptions<TributaryOptions>>().Value.BrokerId;
        int replicas;
        try
        {
            replicas = await services.GetRequiredService<StatefulSetReader>().ReplicasAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or InvalidOperationException or TaskCanceledException or UnauthorizedAccessException)
        {
            // Unknown whether the pod comes back: retiring a broker that only restarts would move all its data twice.
            LogStatefulSetUnreadable(logger, brokerId, e.Message);
            return Results.Text($"stopping without retiring: the StatefulSet could not be read ({e.Message})");
        }

        if (brokerId < replicas)
        {
            return Results.Text($"stopping: pod {brokerId} stays in the StatefulSet ({replicas} replicas)");
        }

        LogRetiring(logger, brokerId, replicas);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, settings.DrainTimeoutSeconds)));
        var held = await services.GetRequiredService<BrokerRetirement>().RetireAsync(timeout.Token);
        if (held > 0)
        {
            LogRetirementTimedOut(logger, brokerId, held);
            return Results.Text($"broker {brokerId} still holds {held} replicas after {settings.DrainTimeoutSeconds} s", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        LogRetired(logger, brokerId);
        return Results.Text($"retired: broker {brokerId} holds no replica");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pre-stop: broker {BrokerId} stops without retiring, its StatefulSet could not be read: {Reason}")]
    private static partial void LogStatefulSetUnreadable(ILogger logger, int brokerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-stop: the StatefulSet keeps {Replicas} pods, so broker {BrokerId} retires: moving its replicas away")]
    private static partial void LogRetiring(ILogger logger, int brokerId, int replicas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pre-stop: broker {BrokerId} still holds {Replicas} replicas at the drain timeout; stopping anyway")]
    private static partial void LogRetirementTimedOut(ILogger logger, int brokerId, int replicas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-stop: broker {BrokerId} holds no replica; stopping")]
    private static partial void LogRetired(ILogger logger, int brokerId);
}
