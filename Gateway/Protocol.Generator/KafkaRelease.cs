namespace Tributary.Gateway.Protocol.Generator;

/// <summary>
/// The Apache Kafka release whose JSON message definitions the generated code was made from (the copy in
/// <c>shared/reference/kafka-protocol/</c>, from Kafka's 3.9 branch). Every generated file names it, so a reader knows which
/// versions of each API the codec can speak.
/// </summary>
internal static class KafkaRelease
{
    public const string Version = "3.9";
}
