using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Gateway.Kafka.Listeners;
using Tributary.Gateway.Tls;

namespace Tributary.Silo;

/// <summary>
/// The TLS settings of the silo's ports: <c>Tributary:Kafka:Ssl</c> for every SSL and SASL_SSL Kafka listener (each
/// setting overridden for one listener by <c>Tributary:Kafka:ListenerName:&lt;NAME&gt;:Ssl</c>, as Kafka's
/// <c>listener.name.&lt;name&gt;.ssl.*</c> overrides <c>ssl.*</c>), and
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

    /// <summary>Kafka's <c>listener.name.&lt;name&gt;</c> prefix: the settings of one listener.</summary>
    public const string ListenerNameSection = "Tributary:Kafka:ListenerName";

    private readonly Dictionary<string, TlsOptions> _sections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TlsServer> _servers = new(StringComparer.Ordinal);

    /// <summary>The TLS section each SSL and SASL_SSL listener is served with, by listener name.</summary>
    private readonly Dictionary<string, string> _listenerSections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The SASL_SSL listeners whose own settings set <c>ClientAuth</c>: they ask for certificates as well as SASL.</summary>
    private readonly HashSet<string> _saslListenersAskingCertificates = new(StringComparer.OrdinalIgnoreCase);

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
        if (!kafkaTls && _sections.ContainsKey(KafkaSection))
        {
            throw new InvalidOperationException($"{KafkaSection} is set, but no listener is SSL or SASL_SSL (Tributary:Kafka:Listeners).");
        }

        ReadListenerSections(configuration, listeners);
        var shared = listeners.Where(l => l.IsTls && !_listenerSections.ContainsKey(l.Name)).ToList();
        if (shared.Count > 0 && !_sections.ContainsKey(KafkaSection))
        {
            _sections[KafkaSection] = new TlsOptions();
        }

        if (_sections.TryGetValue(KafkaSection, out var sharedOptions) && listeners.Where(l => l.IsTls).All(l => l.Protocol != SecurityProtocol.Ssl)
            && TlsSettings.ClientAuth(sharedOptions) is not (null or ClientAuthentication.None))
        {
            throw new InvalidOperationException(
                $"{KafkaSection}: ClientAuth applies to SSL listeners, and none is SSL: on SASL_SSL, SASL authenticates (as in Kafka, a SASL_SSL listener asks for certificates too only with its own {ListenerNameSection}:<NAME>:Ssl:ClientAuth).");
        }

        foreach (var listener in shared)
        {
            _listenerSections[listener.Name] = KafkaSection;
        }

        if (shared.Count == 0)
        {
            // Every TLS listener has settings of its own, the shared ones merged in: alone they serve nothing.
            _sections.Remove(KafkaSection);
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

    /// <summary>
    /// The TLS server of an SSL or SASL_SSL listener (shared by the listeners without settings of their own), and
    /// whether it asks for client certificates: on SSL as <c>ClientAuth</c> says; on SASL_SSL only with the
    /// listener's own <c>ClientAuth</c>, SASL naming the principal either way.
    /// </summary>
    public (TlsServer Server, bool AuthenticatesClients) Kafka(KafkaListener listener, IServiceProvider services) =>
        (Server(_listenerSections[listener.Name], services),
         listener.Protocol == SecurityProtocol.Ssl || _saslListenersAskingCertificates.Contains(listener.Name));

    /// <summary>
    /// Each listener's own TLS settings (<c>Tributary:Kafka:ListenerName:&lt;NAME&gt;:Ssl</c>): the shared ones with
    /// each setting given there in their place, as Kafka's <c>valuesWithPrefixOverride</c> merges them. A section
    /// for a listener that does not exist or is not served over TLS, or with anything but <c>Ssl</c> in it, stops the
    /// silo rather than being ignored.
    /// </summary>
    private void ReadListenerSections(IConfiguration configuration, IReadOnlyList<KafkaListener> listeners)
    {
        foreach (var named in configuration.GetSection(ListenerNameSection).GetChildren())
        {
            var listener = listeners.FirstOrDefault(l => string.Equals(l.Name, named.Key, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"{ListenerNameSection}:{named.Key}: no listener of Tributary:Kafka:Listeners is named {named.Key}.");
            if (named.GetChildren().FirstOrDefault(c => !string.Equals(c.Key, "Ssl", StringComparison.OrdinalIgnoreCase)) is { } other)
            {
                throw new InvalidOperationException($"{ListenerNameSection}:{named.Key}:{other.Key} is not a setting; a listener's own settings are its Ssl ones.");
            }

            var own = named.GetSection("Ssl");
            if (!own.Exists())
            {
                continue;
            }

            if (!listener.IsTls)
            {
                throw new InvalidOperationException($"{own.Path} is set, but listener {listener.Name} is {KafkaListeners.Name(listener.Protocol)}, not SSL or SASL_SSL.");
            }

            KnownSettings.Check(own, typeof(TlsOptions));
            var options = new TlsOptions();
            configuration.GetSection(KafkaSection).Bind(options);
            if (own["ClientAuth"] is not null && TlsSettings.ClientAuth(new TlsOptions { ClientAuth = own["ClientAuth"]! }) == ClientAuthentication.None)
            {
                // A listener that asks for no certificate has no use for the shared truststore and mapping rules.
                (options.TruststoreLocation, options.TruststoreCertificates, options.TruststorePassword) = (null, null, null);
                options.PrincipalMappingRules = new TlsOptions().PrincipalMappingRules;
            }

            own.Bind(options);
            var sectionName = $"{ListenerNameSection}:{listener.Name}:Ssl";
            _sections[sectionName] = options;
            _listenerSections[listener.Name] = sectionName;
            if (listener.Protocol == SecurityProtocol.SaslSsl && own["ClientAuth"] is not null
                && TlsSettings.ClientAuth(options) is not (null or ClientAuthentication.None))
            {
                _saslListenersAskingCertificates.Add(listener.Name);
            }
        }
    }

    /// <summary>Serves an HTTP API's endpoint over TLS when its section is set.</summary>
    public void Http(string section, ListenOptions endpoint, IServiceProvider services)
    {
        if (_sections.ContainsKey(section))
        {
            var server = Server(section, services);
            endpoint.UseTls(server);
            services.GetRequiredService<HttpTlsPrincipals>().Serve(endpoint.IPEndPoint!.Port, server);
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
