using Orleans;

namespace Tributary.Grains.KafkaFormats.Security;

/// <summary>
/// A user's SCRAM credential for one mechanism, as Kafka keeps it: the salt and iteration count the client derives its
/// salted password with, and the StoredKey and ServerKey the server checks it with; the password itself is never kept.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.ScramCredential")]
public sealed record ScramCredential(
    [property: Id(0)] byte[] Salt,
    [property: Id(1)] byte[] StoredKey,
    [property: Id(2)] byte[] ServerKey,
    [property: Id(3)] int Iterations);

/// <summary>One change to a user's credentials: <see cref="Credential"/> set for the mechanism, or (null) removed.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.ScramAlteration")]
public sealed record ScramAlteration(
    [property: Id(0)] string User,
    [property: Id(1)] sbyte Mechanism,
    [property: Id(2)] ScramCredential? Credential);

/// <summary>A user and the mechanisms it has credentials for, with their iterations; or why it could not be described.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.ScramUser")]
public sealed record ScramUser(
    [property: Id(0)] string User,
    [property: Id(1)] ErrorCode Error,
    [property: Id(2)] string? Message,
    [property: Id(3)] IReadOnlyList<ScramCredentialInfo> Credentials);

/// <summary>A mechanism a user has a credential for, with its iterations (what DescribeUserScramCredentials tells).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.ScramCredentialInfo")]
public sealed record ScramCredentialInfo(
    [property: Id(0)] sbyte Mechanism,
    [property: Id(1)] int Iterations);

/// <summary>What an alteration request did for one user: None, or the error that left all its changes undone.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.ScramUserResult")]
public sealed record ScramUserResult(
    [property: Id(0)] string User,
    [property: Id(1)] ErrorCode Error,
    [property: Id(2)] string? Message);
