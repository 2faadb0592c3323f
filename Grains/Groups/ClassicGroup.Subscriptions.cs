using System.Buffers.Binary;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Gateway.Protocol.Primitives;

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
            if (metadata.Length < 2)
            {
                continue;
            }

            var version = Math.Min(BinaryPrimitives.ReadInt16BigEndian(metadata), ConsumerProtocolSubscription.HighestVersion);
            if (version < 0)
            {
                continue;
            }

            try
            {
                var reader = new KafkaReader(metadata.AsMemory(2));
                var subscription = new ConsumerProtocolSubscription();
                subscription.Read(ref reader, version);
                topics.UnionWith(subscription.Topics);
            }
            catch (MalformedRequestException)
            {
                // Not a subscription this broker can read: it blocks nothing.
            }
        }

        return topics;
    }
}
