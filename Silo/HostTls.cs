using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Tls;

namespace Tributary.Silo;

/// <summary>
/// The TLS settings of the silo's ports: <c>Tributary:Kafka:Ssl</c> for every SSL and SASL_SSL Kafka listener, and
/// <c>Tributary:SchemaRegistry:Ssl</c>, <c>Tributary:RestProxy:Ssl</c>, <c>Tributary:Connect:Ssl</c> for the HTTP
/// APIs, each of which serves HTTPS when its section is set. Every section is read (an unknown setting is an error) and
/// its stores loaded when the host is built, so that settings which cannot be served, or would be ignored, stop the
/// silo before it starts.
/// </summary>
internal sealed class HostTls
{
    public const string KafkaSection = "Tributary:Kafka:Ssl";
    public const string SchemaRegistry = "Tributary:SchemaRegistry:Ssl";
    public const string RestProxy = "Tributary:RestProxy:Ssl";
    public const string Connect = "Tributary:Connect:Ssl";

    private readonly Dictionary<string, TlsOptions> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TlsServer> _servers = new(StringComparer.Ordinal);

    /// <param name="httpPorts">Each HTTP API's section and port (0: the API is off).</param>
    public HostTls(IConfiguration configuration, IReadOnlyList<KafkaListener> listeners, IReadOnlyDictionary<string, int> httpPorts)
    {
        foreach (var name in new[] { KafkaSection, SchemaRegistry, RestProxy, Connect })
        {
            var section = configuration.GetSection(name);
            if (section.Exists())
            {
                KnownSettings.Check(section, typeof(TlsOptions));
                _sections[name] = section.Get<TlsOptions>() ?? new();
            }
        }

        var kafkaTls = listeners.Any(l => l.IsTls);
        if (kafkaTls && !_sections.ContainsKey(KafkaSection))
        {
            _sections[KafkaSection] = new TlsOptions();
        }
        else if (!kafkaTls && _sections.ContainsKey(KafkaSection))
        {
            throw new InvalidOperationException($"{KafkaSection} is set, but no listener is SSL or SASL_SSL (Tributary:Kafka:Listeners).");
        }

        if (kafkaTls && listeners.All(l => l.Protocol != SecurityProtocol.Ssl) && TlsSettings.ClientAuth(_sections[KafkaSection]) is not (null or ClientAuthentication.None))
        {
            throw new InvalidOperationException($"{KafkaSection}: ClientAuth applies to SSL listeners, and none is SSL: on SASL_SSL, SASL authenticates.");
        }

        foreach (var (name, port) in httpPorts)
        {
            if (port <= 0 && _sections.ContainsKey(name))
            {
                throw new InvalidOperationException($"{name} is set, but that API's port is 0 (off).");
            }
        }

        foreach (var (name, options) in _sections)
        {
            TlsServer.Create(options, name, NullLogger.Instance);
        }
    }

    /// <summary>The TLS server every SSL and SASL_SSL listener shares.</summary>
    public TlsServer Kafka(IServiceProvider services) => Server(KafkaSection, services);

    /// <summary>Serves an HTTP API's endpoint over TLS when its section is set.</summary>
    public void Http(string section, ListenOptions endpoint, IServiceProvider services)
    {
        if (_sections.ContainsKey(section))
        {
            endpoint.UseTls(Server(section, services));
        }
    }

    private TlsServer Server(string section, IServiceProvider services)
    {
        lock (_servers)
        {
            if (!_servers.TryGetValue(section, out var server))
            {
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Tributary.Gateway.Tls");
                server = TlsServer.Create(_sections[section], section, logger);
                _servers[section] = server;
            }

            return server;
        }
    }
}
