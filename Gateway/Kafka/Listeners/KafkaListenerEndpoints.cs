using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Tls;

namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>
/// Serves a Kafka listener on a Kestrel endpoint: each connection is counted against the silo's connection limit and
/// its address's connection rate quota as it is accepted, then (on SSL and SASL_SSL) goes through its TLS handshake, is told its listener, and is handled as Kafka.
/// </summary>
public static class KafkaListenerEndpoints
{
    /// <param name="authenticatesClients">
    /// Whether TLS asks for client certificates (as <paramref name="tls"/>'s <c>ClientAuth</c> says): on SSL they name
    /// the principal; on SASL_SSL, where a listener's own settings ask for them, they must be good but SASL names the
    /// principal, as in Kafka.
    /// </param>
    public static ListenOptions UseKafkaListener(this ListenOptions endpoint, KafkaListener listener, TlsServer? tls, bool authenticatesClients = false)
    {
        if (listener.IsTls != tls is not null)
        {
            throw new ArgumentException($"Listener {listener.Name} is {KafkaListeners.Name(listener.Protocol)}: TLS settings are needed for SSL and SASL_SSL alone.", nameof(tls));
        }

        var handler = endpoint.ApplicationServices.GetRequiredService<KafkaConnectionHandler>();
        endpoint.Use(next => async connection =>
        {
            // A connection over its address's rate is refused before it takes one of the silo's connections.
            if (!await handler.WithinConnectionRateAsync(connection) || !handler.TryAdmit(connection))
            {
                return;
            }

            try
            {
                await next(connection);
            }
            finally
            {
                handler.Leave();
            }
        });
        if (tls is not null)
        {
            endpoint.UseTls(tls, authenticatesClients: listener.Protocol == SecurityProtocol.Ssl || authenticatesClients,
                namePrincipals: listener.Protocol == SecurityProtocol.Ssl);
        }

        endpoint
            .Use(next => connection =>
            {
                connection.Features.Set(new KafkaListenerFeature(listener));
                return next(connection);
            })
            .UseConnectionHandler<KafkaConnectionHandler>();
        return endpoint;
    }
}
