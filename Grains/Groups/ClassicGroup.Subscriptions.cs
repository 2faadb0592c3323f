using Tributary.Grains.KafkaFormats.Messages;

namespace Tributary.Grains.Groups;

/// <summary>What the members of a "consumer" group subscribe to, read from their subscription bytes.</summary>
public sealed partial class ClassicGroup
{
    private const string ConsumerProtocolType = "consumer";

    /// <summary>
    /// Topics some member subscribes to (empty for other protocol types or unreadable subscriptions). The bytes are
    /// <c>int16 version</c> followed by Kafka's ConsumerProtocolSubscription; newer versions are read by their known prefix.
    /// </summary>
    public HashSet<string> SubscribedTopics()
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (ProtocolType != ConsumerProtocolType || State == GroupState.Empty)
        {
            return topics;
        }

        foreach (var metadata in MemberSubscriptions())
        {
            // A subscription this broker cannot read blocks nothing.
            topics.UnionWith(ConsumerProtocol.DecodeSubscriptionTopics(metadata));
        }

        return topics;
    }
}
