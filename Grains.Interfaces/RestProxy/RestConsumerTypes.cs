namespace Tributary.Grains.Interfaces.RestProxy;

/// <summary>The REST Proxy's error codes a consumer instance answers (Confluent's); 0 for success.</summary>
public static class RestConsumerErrors
{
    public const int None = 0;
    public const int InstanceNotFound = 40403;
    public const int InstanceExists = 40902;
    public const int IllegalState = 40903;
    public const int KafkaError = 50002;
}

/// <summary>A consumer instance's settings, by Confluent's names: <c>format</c>, <c>auto.offset.reset</c>, <c>auto.commit.enable</c>.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestConsumerConfig")]
public sealed record RestConsumerConfig(
    [property: Id(0)] string Format,
    [property: Id(1)] string AutoOffsetReset,
    [property: Id(2)] bool AutoCommit,
    [property: Id(3)] int RequestTimeoutMs);

[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestTopicPartition")]
public sealed record RestTopicPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition);

[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestPosition")]
public sealed record RestPosition([property: Id(0)] string Topic, [property: Id(1)] int Partition, [property: Id(2)] long Offset);

/// <summary>A consumed record's bytes; the gateway renders them in the instance's format.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestConsumedRecord")]
public sealed record RestConsumedRecord(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Offset,
    [property: Id(3)] long Timestamp,
    [property: Id(4)] byte[]? Key,
    [property: Id(5)] byte[]? Value);

/// <summary>An offset commit's outcome for one partition: what had been consumed and what was committed.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestCommitted")]
public sealed record RestCommitted(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Partition,
    [property: Id(2)] long Consumed,
    [property: Id(3)] long Committed);

/// <summary>An answer, or one of <see cref="RestConsumerErrors"/> with its message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.RestProxy.RestResult`1")]
public sealed record RestResult<T>([property: Id(0)] int ErrorCode, [property: Id(1)] string? Message, [property: Id(2)] T? Value)
{
    public static RestResult<T> Ok(T value) => new(RestConsumerErrors.None, null, value);

    public static RestResult<T> Fail(int code, string message) => new(code, message, default);
}
