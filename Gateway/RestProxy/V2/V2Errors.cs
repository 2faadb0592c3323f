using Microsoft.AspNetCore.Http;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2's answers for a topic or partition that does not exist.</summary>
internal static class V2Errors
{
    public static IResult TopicNotFound(string topic) => RestHttp.Error(RestErrors.TopicNotFound, $"Topic {topic} not found.");

    public static IResult PartitionNotFound(string topic, int partition) =>
        RestHttp.Error(RestErrors.PartitionNotFound, $"Partition {partition} of topic {topic} not found.");
}
