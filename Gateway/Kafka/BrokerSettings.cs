namespace Tributary.Gateway.Kafka;

/// <summary>Broker-level settings the gateway reports (DescribeConfigs on a broker, DescribeLogDirs).</summary>
public sealed record BrokerSettings(string LogDirectory, int DefaultPartitions);
