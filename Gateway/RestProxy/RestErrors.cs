namespace Tributary.Gateway.RestProxy;

/// <summary>The REST Proxy's error codes, Confluent's (the HTTP status is their first three digits).</summary>
internal static class RestErrors
{
    public const int KafkaBadRequest = 40002;
    public const int TopicNotFound = 40401;
    public const int PartitionNotFound = 40402;
    public const int ConsumerInstanceNotFound = 40403;
    public const int SchemaNotFound = 40403;
    public const int UnsupportedFormat = 40601;
    public const int ConsumerAlreadyExists = 40902;
    public const int IllegalState = 40903;
    public const int KeySchemaMissing = 42201;
    public const int ValueSchemaMissing = 42202;
    public const int JsonConversion = 42203;
    public const int InvalidConsumerConfig = 42204;
    public const int InvalidSchema = 42205;
    public const int InvalidPayload = 42206;
    public const int KafkaError = 50002;
    public const int KafkaRetriableError = 50003;
}
