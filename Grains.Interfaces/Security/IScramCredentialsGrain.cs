using Orleans.Concurrency;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Grains.Interfaces.Security;

/// <summary>
/// The cluster's SCRAM credentials (key 0), in the control plane so that a user set through one silo authenticates on
/// every silo: what AlterUserScramCredentials changes, DescribeUserScramCredentials tells, and a SCRAM exchange checks.
/// </summary>
[Alias("Tributary.Security.IScramCredentialsGrain")]
public interface IScramCredentialsGrain : IGrainWithIntegerKey
{
    /// <summary>The user's credential for the mechanism (Kafka's number for it), or null.</summary>
    [Alias("Find"), AlwaysInterleave]
    Task<ScramCredential?> FindAsync(string user, sbyte mechanism);

    /// <summary>The users named (null or none: every user with a credential), each with its mechanisms or why not.</summary>
    [Alias("Describe"), AlwaysInterleave]
    Task<IReadOnlyList<ScramUser>> DescribeAsync(IReadOnlyList<string>? users);

    /// <summary>Applies the changes, each user's together or not at all; one result per user.</summary>
    [Alias("Alter")]
    Task<IReadOnlyList<ScramUserResult>> AlterAsync(IReadOnlyList<ScramAlteration> alterations);
}
