using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeUserScramCredentials (50): the users named (none: every user with a credential), each with the mechanisms
/// and iterations of its credentials, never their keys; RESOURCE_NOT_FOUND for a user without one, DUPLICATE_RESOURCE
/// for a user named twice. It needs DESCRIBE on the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class DescribeUserScramCredentialsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeUserScramCredentials;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<DescribeUserScramCredentialsResponse?> HandleAsync(
        DescribeUserScramCredentialsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            // Kafka's error response: the error at the top and for each user named, with no credential.
            const string message = "Cluster authorization failed.";
            return new DescribeUserScramCredentialsResponse
            {
                ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed,
                ErrorMessage = message,
                Results = (body.Users ?? []).Select(u => new DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult
                {
                    User = u.Name, ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ErrorMessage = message,
                }).ToList(),
            };
        }

        var users = await grains.GetGrain<IScramCredentialsGrain>(0).DescribeAsync(body.Users?.Select(u => u.Name).ToList());
        return new DescribeUserScramCredentialsResponse
        {
            ErrorMessage = null,
            Results = users.Select(u => new DescribeUserScramCredentialsResponse.DescribeUserScramCredentialsResult
            {
                User = u.User,
                ErrorCode = (short)u.Error,
                ErrorMessage = u.Message,
                CredentialInfos = u.Credentials
                    .Select(c => new DescribeUserScramCredentialsResponse.CredentialInfo { Mechanism = c.Mechanism, Iterations = c.Iterations }).ToList(),
            }).ToList(),
        };
    }
}
