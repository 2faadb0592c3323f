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

    /// <summary>
    /// The first error of kind <paramref name="code"/> a producer reports while it tries to connect with
    /// <paramref name="config"/>. librdkafka may report the broken connection (Local_Transport) before its cause, as
    /// when a failed TLS handshake closes the socket; the cause is what a user sees and acts on.
    /// </summary>
    public static Error FirstOf(ClientConfig config, ErrorCode code)
    {
        var errors = new BlockingCollection<Error>();
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(config)).SetErrorHandler((_, e) => errors.Add(e)).Build();
        var others = new List<Error>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (errors.TryTake(out var error, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
        {
            if (error.Code == code)
            {
                return error;
            }

            others.Add(error);
        }

        Assert.Fail($"no {code} reported within 30 s; reported: {string.Join("; ", others.Select(e => $"{e.Code}: {e.Reason}"))}");
        return null!;
    }
}
