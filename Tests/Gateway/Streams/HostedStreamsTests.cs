using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Hosting;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>A stream application run by a .NET generic host: started with it, closed with it.</summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class HostedStreamsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task AHostedApplication_RunsWhileItsHostRuns_AndClosesWithIt()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "hosted-in", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "hosted-out", NumPartitions = 2, ReplicationFactor = 1 },
            ]);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new Suffix("!"));
        builder.Services.AddKafkaStreams(
            new StreamsConfig { ApplicationId = "hosted-shout", BootstrapServers = broker.BootstrapServers, CommitInterval = TimeSpan.FromMilliseconds(200) },
            (streams, services) => streams.Stream("hosted-in", Consumed.With(Serdes.String(), Serdes.String()))
                .MapValues(v => v.ToUpperInvariant() + services.GetRequiredService<Suffix>().Text)
                .To("hosted-out", Produced.With(Serdes.String(), Serdes.String())));
        using var host = builder.Build();
        var application = host.Services.GetRequiredKeyedService<KafkaStreams>("hosted-shout");
        Assert.Equal(KafkaStreamsState.Created, application.State);

        await host.StartAsync();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("hosted-in", new Message<string, string> { Key = "k", Value = "hello" });
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("hosted-out");
        var result = await Task.Run(() => consumer.Consume(TimeSpan.FromSeconds(60)));
        consumer.Close();
        Assert.Equal("HELLO!", result?.Message.Value);

        await host.StopAsync();
        Assert.Equal(KafkaStreamsState.NotRunning, application.State);
    }

    private sealed record Suffix(string Text);
}
