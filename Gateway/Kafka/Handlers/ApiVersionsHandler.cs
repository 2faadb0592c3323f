using System.Text.RegularExpressions;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>ApiVersions (18): the versions of every API this broker serves, as the handlers declare them.</summary>
public sealed partial class ApiVersionsHandler(IServiceProvider services) : KafkaApiHandler<ApiVersionsRequest, ApiVersionsResponse>
{
    public override ApiKey ApiKey => ApiKey.ApiVersions;

    public override short MinVersion => 0;

    public override short MaxVersion => 4;

    protected override Task<ApiVersionsResponse?> HandleAsync(ApiVersionsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (request.ApiVersion >= 3 && !(SoftwareName().IsMatch(body.ClientSoftwareName) && SoftwareName().IsMatch(body.ClientSoftwareVersion)))
        {
            return Task.FromResult<ApiVersionsResponse?>(new ApiVersionsResponse { ErrorCode = (short)ErrorCode.InvalidRequest });
        }

        // Resolved here rather than injected: the table includes this handler itself.
        var apis = (KafkaApis)services.GetService(typeof(KafkaApis))!;
        return Task.FromResult<ApiVersionsResponse?>(new ApiVersionsResponse
        {
            ApiKeys = apis.All
                .Select(h => new ApiVersionsResponse.ApiVersion { ApiKey = (short)h.ApiKey, MinVersion = h.MinVersion, MaxVersion = h.MaxVersion })
                .ToList(),
        });
    }

    [GeneratedRegex("^[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?$")]
    private static partial Regex SoftwareName();
}
