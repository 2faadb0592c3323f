using Microsoft.AspNetCore.Connections;

namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>Serves a Kafka listener on a Kestrel endpoint: each connection is told its listener, then handled as Kafka.</summary>
public static class KafkaListenerEndpoints
{
    public static IConnectionBuilder UseKafkaListener(this IConnectionBuilder endpoint, KafkaListener listener) => endpoint
        .Use(next => connection =>
        {
            connection.Features.Set(new KafkaListenerFeature(listener));
            return next(connection);
        })
        .UseConnectionHandler<KafkaConnectionHandler>();
}
