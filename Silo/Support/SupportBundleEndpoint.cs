using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tributary.Silo.Support;

/// <summary>
/// <c>GET /support/bundle</c> on the health port: the silo's <see cref="SupportBundle"/> as a zip download, to callers on
/// the silo's own machine only (the <c>support-bundle</c> command, <c>docker exec</c>, <c>kubectl port-forward</c>):
/// the health port is open to the cluster's network without authentication, and the bundle names topics, settings and
/// log lines. Others are answered 403. One is made at a time: a request while another is being made is answered 429,
/// so that repeated requests cannot pile up work.
/// </summary>
public static class SupportBundleEndpoint
{
    public const string Path = "/support/bundle";

    public static void MapSupportBundle(this IEndpointRouteBuilder endpoints, int healthPort) =>
        endpoints.MapGet(Path, async (HttpContext context, SupportBundle bundle, SupportBundleGate gate) =>
        {
            if (context.Connection.RemoteIpAddress is not { } caller || !System.Net.IPAddress.IsLoopback(caller))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync(
                    "The support bundle is served to this machine only: run `support-bundle` here, or reach the port through `kubectl port-forward`.\n",
                    context.RequestAborted);
                return;
            }

            if (!gate.TryEnter())
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.Response.WriteAsync("A support bundle is being made; ask again when it is done.\n", context.RequestAborted);
                return;
            }

            try
            {
                // Made in memory first: a part that fails must not leave the client with half a zip and a 200.
                using var zip = new MemoryStream();
                await bundle.WriteAsync(zip, healthPort, context.RequestAborted);
                context.Response.ContentType = "application/zip";
                context.Response.Headers.ContentDisposition =
                    $"attachment; filename=\"tributary-support-{DateTime.UtcNow:yyyyMMdd-HHmmss}.zip\"";
                context.Response.ContentLength = zip.Length;
                zip.Position = 0;
                await zip.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            finally
            {
                gate.Exit();
            }
        });

    public static IServiceCollection AddSupportBundle(this IServiceCollection services)
    {
        services.AddSingleton<RecentLogs>();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(sp => sp.GetRequiredService<RecentLogs>());
        services.AddSingleton<SupportBundle>();
        services.AddSingleton<SupportBundleGate>();
        return services;
    }
}

/// <summary>Lets one support bundle be made at a time.</summary>
public sealed class SupportBundleGate
{
    private int _busy;

    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _busy, 0);
}
