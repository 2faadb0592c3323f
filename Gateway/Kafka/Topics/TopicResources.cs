using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// Kafka's checks of a TOPIC config resource's name, made before the topic is looked at: DescribeConfigs validates it as
/// a topic name (INVALID_TOPIC_EXCEPTION, Kafka's <c>ConfigHelper</c>); AlterConfigs and IncrementalAlterConfigs refuse
/// the empty name, which would be the default topic resource, with INVALID_REQUEST, then validate it (Kafka's
/// <c>ControllerConfigurationValidator</c>).
/// </summary>
internal static class TopicResources
{
    public static DescribeConfigsResult? DescribeError(string name) =>
        TopicNames.Validate(name) is { } invalid ? new DescribeConfigsResult(ErrorCode.InvalidTopicException, invalid, []) : null;

    public static TopicAdminResult? AlterError(string name) =>
        name.Length == 0 ? new TopicAdminResult(ErrorCode.InvalidRequest, "Default topic resources are not allowed.")
        : TopicNames.Validate(name) is { } invalid ? new TopicAdminResult(ErrorCode.InvalidTopicException, invalid)
        : null;
}
