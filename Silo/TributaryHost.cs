using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Connect;
using Tributary.Gateway.Http;
using Tributary.Gateway.Http.Authentication;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Security;
using Tributary.Gateway.RestProxy;
using Tributary.Gateway.SchemaRegistry;
using Tributary.Gateway.SchemaRegistry.Security;
using Tributary.Gateway.Tls;
using Tributary.Grains.Actors.Hosting;
using Tributary.Silo.Cluster;
using Tributary.Silo.Health;
using Tributary.Silo.Observability;
using Tributary.Silo.Support;
using Tributary.Silo.Kubernetes;

namespace Tributary.Silo;

/// <summary>
/// Composes a Tributary process: one Orleans silo (on its own with localhost clustering and file grain storage by
/// default, or a member of a cluster through Redis or Azure Table membership with a shared store) and its gateway:
/// the Kafka listener, the Schema Registry's, the REST Proxy's and Kafka Connect's HTTP APIs and the health probes, in one host. The executable runs it; tests build the very same host in-process.
/// </summary>
public static class TributaryHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddCommandLine(CommandLine.ExpandRepeatable(args), CommandLine.Switches);
        builder.Services.Configure<TributaryOptions>(builder.Configuration.GetSection(TributaryOptions.Section));
        builder.Services.Configure<KafkaListenerOptions>(builder.Configuration.GetSection(KafkaListenerOptions.Section));
        builder.Services.Configure<KafkaSaslOptions>(builder.Configuration.GetSection(KafkaSaslOptions.Section));
        builder.Services.Configure<KafkaAuthorizerOptions>(builder.Configuration.GetSection(KafkaAuthorizerOptions.Section));
        builder.Services.Configure<BrokerRegistrationOptions>(builder.Configuration.GetSection(BrokerRegistrationOptions.Section));
        builder.Services.Configure<KubernetesOptions>(builder.Configuration.GetSection(KubernetesOptions.Section));
        builder.Services.AddSingleton<StatefulSetReader>();

        var tributary = builder.Configuration.GetSection(TributaryOptions.Section).Get<TributaryOptions>() ?? new();
        var kafka = builder.Configuration.GetSection(KafkaListenerOptions.Section).Get<KafkaListenerOptions>() ?? new();
        var orleans = builder.Configuration.GetSection("Orleans");
        var cluster = builder.Configuration.GetSection(ClusterModeOptions.Section).Get<ClusterModeOptions>() ?? new();
        var connect = builder.Configuration.GetSection(ConnectOptions.Section).Get<ConnectOptions>() ?? new();
        var healthPort = builder.Configuration.GetValue("Tributary:Health:Port", 8090);

        builder.Services.AddKafkaGateway();
        // Every listener's sockets receive into 64 KiB blocks (Kestrel takes the last factory registered): a produce
        // request in one or two receive calls rather than one per 4 KiB.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, ReceiveBlockMemoryPoolFactory>();
        builder.Services.AddSupportBundle();
        // Metrics are kept only where they go: the health port's /metrics, or an OTLP endpoint.
        var telemetry = builder.AddTributaryTelemetry(tributary.BrokerId, healthPort);
        builder.Services.AddSchemaRegistryApi();
        builder.Services.AddRestProxyApi();
        builder.Services.AddConnectApi();
        var listeners = KafkaListeners.From(kafka);
        if (kafka.QuotaWindowNum < 1 || kafka.QuotaWindowSizeSeconds < 1)
        {
            throw new InvalidOperationException(
                "Tributary:Kafka:QuotaWindowNum (quota.window.num) and Tributary:Kafka:QuotaWindowSizeSeconds (quota.window.size.seconds) must be at least 1.");
        }

        var saslSection = builder.Configuration.GetSection(KafkaSaslOptions.Section);
        KnownSettings.Check(saslSection, typeof(KafkaSaslOptions));
        if (SaslMechanisms.Invalid(saslSection.Get<KafkaSaslOptions>() ?? new(), listeners.Any(l => l.IsSasl), saslSection.Exists(), saslSection.GetSection("OAuthBearer").Exists())
            is { } sasl)
        {
            throw new InvalidOperationException(sasl);
        }

        var authorizerSection = builder.Configuration.GetSection(KafkaAuthorizerOptions.Section);
        KnownSettings.Check(authorizerSection, typeof(KafkaAuthorizerOptions));
        if ((authorizerSection.Get<KafkaAuthorizerOptions>() ?? new()).Invalid() is { } authorizer)
        {
            throw new InvalidOperationException(authorizer);
        }

        var registryAuthorizerSection = builder.Configuration.GetSection(RegistryAuthorizerOptions.Section);
        KnownSettings.Check(registryAuthorizerSection, typeof(RegistryAuthorizerOptions));
        if ((registryAuthorizerSection.Get<RegistryAuthorizerOptions>() ?? new()).Invalid() is { } registryAuthorizer)
        {
            throw new InvalidOperationException(registryAuthorizer);
        }


        builder.Services.AddSingleton(new BrokerIdentity(
            tributary.BrokerId,
            builder.Configuration["Tributary:ClusterId"] ?? ClusterIds.Default,
            listeners,
            string.IsNullOrEmpty(tributary.Rack) ? null : tributary.Rack));
        builder.Services.AddSingleton(new BrokerSettings(tributary.PartitionDataDirectory));
        builder.Services.AddSingleton<HttpTlsPrincipals>();
        var registryPort = tributary.SchemaRegistry.Port;
        var restPort = tributary.RestProxy.Port;
        var connectPort = connect.Port;
        var tls = new HostTls(builder.Configuration, listeners, new Dictionary<string, int>
        {
            [HostTls.SchemaRegistry] = registryPort,
            [HostTls.RestProxy] = restPort,
            [HostTls.Connect] = connectPort,
        });
        var oauthBearer = listeners.Any(l => l.IsSasl) && (saslSection.Get<KafkaSaslOptions>() ?? new()).Mechanisms().Contains(OAuthBearerExchange.Mechanism);
        AddHttpAuthentication(builder, listeners.Any(l => l.IsSasl), oauthBearer);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Long enough that an over-long URL reaches the HTTP APIs, which answer it with Confluent's error body.
            kestrel.Limits.MaxRequestLineSize = PortApi.MaxRequestLineBytes;
            foreach (var listener in listeners)
            {
                ListenOn(kestrel, listener.BindHost, listener.Port, listen =>
                {
                    var (server, authenticatesClients) = listener.IsTls ? tls.Kafka(listener, kestrel.ApplicationServices) : (null, false);
                    listen.UseKafkaListener(listener, server, authenticatesClients);
                });
            }

            if (registryPort > 0)
            {
                kestrel.ListenAnyIP(registryPort, listen => tls.Http(HostTls.SchemaRegistry, listen, kestrel.ApplicationServices));
            }

            if (restPort > 0)
            {
                kestrel.ListenAnyIP(restPort, listen => tls.Http(HostTls.RestProxy, listen, kestrel.ApplicationServices));
            }

            if (connectPort > 0)
            {
                kestrel.ListenAnyIP(connectPort, listen => tls.Http(HostTls.Connect, listen, kestrel.ApplicationServices));
            }

            if (healthPort > 0)
            {
                kestrel.ListenAnyIP(healthPort);
            }
        });

        builder.UseOrleans(silo =>
        {
            silo.UseTributaryCluster(cluster, orleans)
                .UseClusterTls(builder.Configuration)
                .AddTributaryBroker();
            if (telemetry.Traced)
            {
                // The W3C trace context of a request's span goes with its grain calls, to whichever silo they reach.
                silo.AddActivityPropagation();
            }
        });

        var app = builder.Build();
        if (healthPort > 0)
        {
            app.UseHealthEndpoints(healthPort, telemetry.Scraped);
        }

        if (registryPort > 0)
        {
            app.UseSchemaRegistryApi(registryPort);
        }

        if (restPort > 0)
        {
            app.UseRestProxyApi(restPort);
        }

        if (connectPort > 0)
        {
            app.UseConnectApi(connectPort);
        }

        return app;
    }

    /// <summary>
    /// Each HTTP API's authentication (<c>Tributary:&lt;Api&gt;:Authentication</c>), its settings checked now: an unknown
    /// key, a method not served or a users file that cannot be read stops the start.
    /// </summary>
    private static void AddHttpAuthentication(WebApplicationBuilder builder, bool saslListener, bool oauthBearer)
    {
        var configured = new Dictionary<string, HttpAuthenticationOptions>();
        foreach (var api in new[] { HttpAuthentications.SchemaRegistry, HttpAuthentications.RestProxy, HttpAuthentications.Connect })
        {
            var section = builder.Configuration.GetSection($"Tributary:{api}:Authentication");

            // Confluent's dotted names, or a value given to the section itself, would otherwise leave the API open.
            if (section.Value is not null || builder.Configuration.GetSection($"Tributary:{api}").GetChildren()
                    .Any(c => c.Key.StartsWith("authentication", StringComparison.OrdinalIgnoreCase) && c.Key.Length > "authentication".Length))
            {
                throw new InvalidOperationException(
                    $"Tributary:{api}: authentication is set under Tributary:{api}:Authentication, with Method, Realm, Roles and Users or UsersFile.");
            }

            KnownSettings.Check(section, typeof(HttpAuthenticationOptions));
            var options = section.Get<HttpAuthenticationOptions>() ?? new();
            if (options.Invalid(section.Path) is { } reason)
            {
                throw new InvalidOperationException(reason);
            }

            if (options.KafkaUsers && !saslListener)
            {
                throw new InvalidOperationException($"{section.Path}:KafkaUsers: no Kafka listener is SASL_PLAINTEXT or SASL_SSL, so there are no SASL users.");
            }

            if (options.TakesBearer && !oauthBearer)
            {
                throw new InvalidOperationException(
                    $"{section.Path}:Method BEARER checks tokens as the Kafka listeners' OAUTHBEARER does: enable OAUTHBEARER on a SASL listener, with its Tributary:Kafka:Sasl:OAuthBearer settings.");
            }

            if (options.Enabled)
            {
                configured[api] = options;
            }
        }

        builder.Services.AddSingleton(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Tributary.Gateway.Http.Authentication");
            return new HttpAuthentications(configured.ToDictionary(
                c => c.Key, c => new HttpAuthenticator(
                    c.Key, c.Value, logger, saslUsers: services.GetRequiredService<ISaslUsers>(), bearerTokens: c.Value.TakesBearer ? services.GetRequiredService<IBearerTokens>() : null)));
        });
    }

    /// <summary>Binds a listener: an empty host on every interface, <c>localhost</c> on the loopback ones, else the address given.</summary>
    private static void ListenOn(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host.Length == 0 || host == "0.0.0.0")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (host == "localhost")
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (IPAddress.TryParse(host, out var address))
        {
            kestrel.Listen(address, port, configure);
        }
        else
        {
            // Kafka resolves a listener's host name; Kestrel binds addresses: the name's addresses, each.
            foreach (var resolved in Dns.GetHostAddresses(host))
            {
                kestrel.Listen(resolved, port, configure);
            }
        }
    }
}
