namespace Tributary.Gateway.Kafka;

/// <summary>Who this broker is to Kafka clients: its node id, the cluster it belongs to, and where to reach it.</summary>
public sealed record BrokerIdentity(int BrokerId, string ClusterId, string Host, int Port);
