namespace Tributary.Gateway.Kafka;

/// <summary>Resource types of DescribeConfigs and the AlterConfigs APIs, numbered as on the wire.</summary>
public enum ConfigResourceType : sbyte
{
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
}
