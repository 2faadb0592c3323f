using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Support;

/// <summary>What librdkafka reports while a client it built cannot get through (a refused authentication, say).</summary>
internal static class ClientErrors
{
    /// <summary>The first error a producer reports while it tries to connect with <paramref name="config"/>.</summary>
    public static Error First(ClientConfig config)
    {
        var errors = new BlockingCollection<Error>();
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(config)).SetErrorHandler((_, e) => errors.Add(e)).Build();
        Assert.True(errors.TryTake(out var error, TimeSpan.FromSeconds(30)), "no error reported");
        return error;
    }
}
