using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AlterUserScramCredentials (51): sets or removes users' SCRAM credentials in the control plane, as Kafka's
/// controller does. An upsertion carries the salt and the salted password the client derived; the broker keeps the
/// StoredKey and ServerKey made from it, never the salted password. A user whose change names an unknown mechanism
/// (UNSUPPORTED_SASL_MECHANISM), no name, iterations outside [4096, 16384], or an empty salt or salted password (whose
/// keys anyone could compute; UNACCEPTABLE_CREDENTIAL) is refused whole; the others' changes are made, each user's
/// together. A user is refused for changing one mechanism twice (DUPLICATE_RESOURCE), as Kafka's ZooKeeper-era
/// controller did; Kafka's KRaft controller refuses any second change of a user. It needs ALTER on the cluster (else
/// every user's result is CLUSTER_AUTHORIZATION_FAILED and nothing changes).
/// </summary>
public sealed class AlterUserScramCredentialsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>
{
    public override ApiKey ApiKey => ApiKey.AlterUserScramCredentials;

    public override short MinVersion => 0;

    public override short MaxVersion => 0;

    protected override async Task<AlterUserScramCredentialsResponse?> HandleAsync(
        AlterUserScramCredentialsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.Alter, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            // Kafka's error response: each user named once, in order of name.
            return new AlterUserScramCredentialsResponse
            {
                Results = body.Deletions.Select(d => d.Name).Concat(body.Upsertions.Select(u => u.Name))
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .Select(name => new AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult
                    {
                        User = name, ErrorCode = (short)ErrorCode.ClusterAuthorizationFailed, ErrorMessage = "Cluster authorization failed.",
                    }).ToList(),
            };
        }

        var refused = new Dictionary<string, (ErrorCode Error, string Message)>(StringComparer.Ordinal);
        var alterations = new List<ScramAlteration>();
        foreach (var deletion in body.Deletions)
        {
            if (Refusal(deletion.Name, deletion.Mechanism, null) is { } refusal)
            {
                refused.TryAdd(deletion.Name, refusal);
            }
            else
            {
                alterations.Add(new ScramAlteration(deletion.Name, deletion.Mechanism, null));
            }
        }

        foreach (var upsertion in body.Upsertions)
        {
            if ((Refusal(upsertion.Name, upsertion.Mechanism, upsertion.Iterations)
                ?? (upsertion.Salt.IsEmpty || upsertion.SaltedPassword.IsEmpty ? (ErrorCode.UnacceptableCredential, "Salt and salted password must not be empty") : null))
                is { } refusal)
            {
                refused.TryAdd(upsertion.Name, refusal);
            }
            else
            {
                var mechanism = ScramMechanism.ById(upsertion.Mechanism)!;
                alterations.Add(new ScramAlteration(
                    upsertion.Name, upsertion.Mechanism, mechanism.Credential(upsertion.Salt.ToArray(), upsertion.SaltedPassword.Span, upsertion.Iterations)));
            }
        }

        var altered = await grains.GetGrain<IScramCredentialsGrain>(0).AlterAsync(alterations.Where(a => !refused.ContainsKey(a.User)).ToList());
        var byUser = altered.ToDictionary(r => r.User, StringComparer.Ordinal);
        var names = body.Deletions.Select(d => d.Name).Concat(body.Upsertions.Select(u => u.Name)).Distinct(StringComparer.Ordinal);
        return new AlterUserScramCredentialsResponse
        {
            Results = names.Select(name => refused.TryGetValue(name, out var refusal)
                ? new AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult { User = name, ErrorCode = (short)refusal.Error, ErrorMessage = refusal.Message }
                : new AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult
                {
                    User = name, ErrorCode = (short)byUser[name].Error, ErrorMessage = byUser[name].Message,
                }).ToList(),
        };
    }

    /// <summary>Kafka's checks of one change that need no state.</summary>
    private static (ErrorCode, string)? Refusal(string user, sbyte mechanism, int? iterations) =>
        user.Length == 0 ? (ErrorCode.UnacceptableCredential, "Username must not be empty")
        : ScramMechanism.ById(mechanism) is null ? (ErrorCode.UnsupportedSaslMechanism, "Unknown SCRAM mechanism")
        : iterations < ScramMechanism.MinIterations ? (ErrorCode.UnacceptableCredential, $"Too few iterations: {iterations}")
        : iterations > ScramMechanism.MaxIterations ? (ErrorCode.UnacceptableCredential, $"Too many iterations: {iterations}")
        : null;
}
