namespace Tributary.Gateway.Kafka;

/// <summary>Broker-level settings the gateway reports (DescribeLogDirs).</summary>
public sealed record BrokerSettings(string LogDirectory);
