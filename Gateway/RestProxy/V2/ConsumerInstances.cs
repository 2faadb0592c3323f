using Microsoft.AspNetCore.Http;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.RestProxy;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>
/// What the consumer instance endpoints share: the instance's grain (any gateway node serves it), and how its answers
/// become responses.
/// </summary>
internal static class ConsumerInstances
{
    /// <summary>The route of one instance, under which its resources hang.</summary>
    public const string Route = "/consumers/{group}/instances/{instance}";

    public static IRestConsumerGrain Get(IGrainFactory grains, string group, string instance) =>
        grains.GetGrain<IRestConsumerGrain>(RestConsumerKeys.Of(group, instance));

    /// <summary>204 for success, else the instance's error in Confluent's envelope.</summary>
    public static IResult Status(int code) => code switch
    {
        RestConsumerErrors.None => Results.NoContent(),
        RestConsumerErrors.InstanceNotFound => RestHttp.Error(code, "Consumer instance not found."),
        RestConsumerErrors.IllegalState => RestHttp.Error(code, "Illegal state: subscribe and assign exclude each other, and a position needs an assigned partition."),
        _ => RestHttp.Error(code, "Kafka error"),
    };

    /// <summary>The answer's value as <paramref name="ok"/> makes it a response, or its error.</summary>
    public static IResult Answer<T>(RestResult<T> result, Func<T, IResult> ok) =>
        result.ErrorCode == RestConsumerErrors.None ? ok(result.Value!) : RestHttp.Error(result.ErrorCode, result.Message ?? "");

    public static List<RestTopicPartition> Partitions(TopicPartitionList body) =>
        (body.Partitions ?? []).Select(p => new RestTopicPartition(p.Topic, p.Partition)).ToList();

    public static List<RestPosition> Positions(TopicPartitionOffsetList body) =>
        (body.Offsets ?? []).Select(o => new RestPosition(o.Topic, o.Partition, o.Offset)).ToList();
}
