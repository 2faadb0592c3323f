using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Serves one Kafka API. <see cref="MinVersion"/>..<see cref="MaxVersion"/> is what ApiVersions advertises and what
/// the connection accepts; any other version of the key is refused before the handler sees it.
/// </summary>
public interface IKafkaApiHandler
{
    ApiKey ApiKey { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>The response, or null when the request gets none (Produce with acks=0).</summary>
    Task<IKafkaApiMessage?> HandleAsync(KafkaRequest request, CancellationToken cancellationToken);

    /// <summary>Called once the response is in the connection's output, to release what it borrowed (pooled records).</summary>
    void ResponseWritten(IKafkaApiMessage response)
    {
    }
}

/// <summary>A handler with typed request and response.</summary>
public abstract class KafkaApiHandler<TRequest, TResponse> : IKafkaApiHandler
    where TRequest : IKafkaApiMessage
    where TResponse : IKafkaApiMessage
{
    public abstract ApiKey ApiKey { get; }

    public abstract short MinVersion { get; }

    public abstract short MaxVersion { get; }

    public async Task<IKafkaApiMessage?> HandleAsync(KafkaRequest request, CancellationToken cancellationToken) =>
        await HandleAsync((TRequest)request.Body, request, cancellationToken);

    public void ResponseWritten(IKafkaApiMessage response) => ResponseWritten((TResponse)response);

    protected virtual void ResponseWritten(TResponse response)
    {
    }

    protected abstract Task<TResponse?> HandleAsync(TRequest body, KafkaRequest request, CancellationToken cancellationToken);
}
