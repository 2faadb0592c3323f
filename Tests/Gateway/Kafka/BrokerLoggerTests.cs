using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// Kafka's BROKER_LOGGER resource (sent on a bare connection: Confluent.Kafka has no such resource type): the
/// broker's logging categories with their levels, changed at runtime.
/// </summary>
public sealed class BrokerLoggerTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string PartitionCategory = "Tributary.Grains.Actors.Partitions.PartitionGrain";

    private async Task ProduceAsync(string topic)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 0 }).Build();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "v" });
    }

    private string? Level(string logger) =>
        broker.Describe(RawConfigs.BrokerLogger, "1").Configs.SingleOrDefault(c => c.Name == logger)?.Value;

    [Fact]
    public async Task ALevelSetThroughBrokerLogger_ChangesWhatIsLogged_UntilItIsDeleted()
    {
        var captured = new CapturingProvider();
        broker.Services.GetRequiredService<ILoggerFactory>().AddProvider(captured);
        await ProduceAsync("logged-quietly");

        var loggers = broker.Describe(RawConfigs.BrokerLogger, "1").Configs;
        Assert.Equal(("root", "WARN", (sbyte)6), (loggers[0].Name, loggers[0].Value, loggers[0].ConfigSource));
        Assert.Equal("WARN", Level(PartitionCategory));
        Assert.DoesNotContain(captured.Messages, m => m.Contains("logged-quietly-0 active", StringComparison.Ordinal));

        Assert.Equal((0, null), broker.Alter(RawConfigs.BrokerLogger, "1", PartitionCategory, "DEBUG"));
        await ProduceAsync("logged-loudly");

        Assert.Equal("DEBUG", Level(PartitionCategory));
        Assert.Contains(captured.Messages, m => m.Contains("logged-loudly-0 active", StringComparison.Ordinal));

        Assert.Equal((0, null), broker.Alter(RawConfigs.BrokerLogger, "1", PartitionCategory, null, operation: 1));
        await ProduceAsync("logged-quietly-again");

        Assert.Equal("WARN", Level(PartitionCategory));
        Assert.DoesNotContain(captured.Messages, m => m.Contains("logged-quietly-again-0 active", StringComparison.Ordinal));
    }

    [Fact]
    public void ANamespace_TakesALevelForEveryCategoryUnderIt_AndValidateOnlyChangesNothing()
    {
        Assert.Equal((0, null), broker.Alter(RawConfigs.BrokerLogger, "1", "Tributary.Gateway", "ERROR", validateOnly: true));
        Assert.Equal("WARN", Level("Tributary.Gateway.Kafka.Loggers.BrokerLoggers"));

        Assert.Equal((0, null), broker.Alter(RawConfigs.BrokerLogger, "1", "Tributary.Gateway", "ERROR"));
        try
        {
            Assert.Equal("ERROR", Level("Tributary.Gateway.Kafka.Loggers.BrokerLoggers"));
        }
        finally
        {
            Assert.Equal((0, null), broker.Alter(RawConfigs.BrokerLogger, "1", "Tributary.Gateway", null, operation: 1));
        }

        Assert.Equal("WARN", Level("Tributary.Gateway.Kafka.Loggers.BrokerLoggers"));
    }

    [Fact]
    public void WhatKafkaRefuses_IsRefusedWithKafkasWords()
    {
        Assert.Equal(((short)40, "Logger no.such.logger does not exist!"), broker.Alter(RawConfigs.BrokerLogger, "1", "no.such.logger", "DEBUG"));
        Assert.Equal(
            ((short)40, "Cannot set the log level of root to LOUD as it is not a supported log level. Valid log levels are DEBUG, ERROR, FATAL, INFO, TRACE, WARN"),
            broker.Alter(RawConfigs.BrokerLogger, "1", "root", "LOUD"));
        Assert.Equal(((short)42, "Removing the log level of the root logger is not allowed"), broker.Alter(RawConfigs.BrokerLogger, "1", "root", null, operation: 1));
        Assert.Equal(((short)42, "APPEND operation is not allowed for the BROKER_LOGGER resource"), broker.Alter(RawConfigs.BrokerLogger, "1", "root", "DEBUG", operation: 2));
        Assert.Equal(((short)42, "Unexpected node id. Expected 1, but received 2"), broker.Alter(RawConfigs.BrokerLogger, "2", "root", "DEBUG"));
        Assert.Equal(((short)42, "Broker id must not be empty"), (broker.Describe(RawConfigs.BrokerLogger, "").ErrorCode, broker.Describe(RawConfigs.BrokerLogger, "").ErrorMessage));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public void Dispose()
        {
        }

        private sealed class Capturing(CapturingProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Messages.Enqueue(formatter(state, exception));
        }
    }
}
