using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Streams.Hosting;

/// <summary>Registers stream applications with a .NET host (<c>Microsoft.Extensions.Hosting</c>).</summary>
public static class StreamsServiceCollectionExtensions
{
    /// <summary>
    /// Adds a stream application whose topology <paramref name="build"/> writes (with the host's services at hand),
    /// run by the host. Its <see cref="KafkaStreams"/> is a keyed singleton under its application id, for state
    /// listeners and shutdown handling; it logs through the host's <see cref="ILoggerFactory"/>.
    /// </summary>
    public static IServiceCollection AddKafkaStreams(this IServiceCollection services, StreamsConfig config, Action<StreamsBuilder, IServiceProvider> build)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(build);
        config.Validate();
        services.AddKeyedSingleton(config.ApplicationId, (provider, _) =>
        {
            var builder = new StreamsBuilder();
            build(builder, provider);
            return new KafkaStreams(builder.Build(), config, provider.GetService<ILoggerFactory>());
        });
        services.AddSingleton<IHostedService>(provider => new KafkaStreamsHostedService(provider.GetRequiredKeyedService<KafkaStreams>(config.ApplicationId)));
        return services;
    }
}
