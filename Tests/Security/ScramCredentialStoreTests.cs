using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;
using Tributary.Grains.Security;

namespace Tributary.Tests.Security;

/// <summary>Kafka's rules for changing and describing SCRAM credentials, a user's changes together or not at all.</summary>
public sealed class ScramCredentialStoreTests
{
    private static readonly ScramCredential Credential = new([1, 2], [3], [4], 4096);

    private static ScramCredentialStore Store() => new(new Dictionary<string, Dictionary<sbyte, ScramCredential>>(StringComparer.Ordinal));

    [Fact]
    public void CredentialsSetAndRemoved_AreFoundAndDescribed_ByUserAndMechanism()
    {
        var store = Store();

        var results = store.Alter([new("alice", 1, Credential), new("alice", 2, Credential with { Iterations = 8192 }), new("bob", 2, Credential)]);

        Assert.Equal([("alice", ErrorCode.None), ("bob", ErrorCode.None)], results.Select(r => (r.User, r.Error)));
        Assert.Same(Credential, store.Find("alice", 1));
        Assert.Null(store.Find("bob", 1));
        Assert.Equal(
            ["alice 1 4096", "alice 2 8192", "bob 2 4096"],
            store.Describe(null).SelectMany(u => u.Credentials, (u, c) => $"{u.User} {c.Mechanism} {c.Iterations}"));

        store.Alter([new("bob", 2, null)]);
        Assert.Equal(["alice"], store.Describe([]).Select(u => u.User));
    }

    [Fact]
    public void AUserWithARefusedChange_KeepsAllItsCredentials_WhileTheOthersChange()
    {
        var store = Store();
        store.Alter([new("alice", 1, Credential)]);

        var results = store.Alter(
        [
            new("alice", 2, Credential), new("alice", 1, null), new("alice", 1, Credential),
            new("carol", 1, Credential), new("carol", 2, null),
            new("dave", 1, Credential),
        ]);

        Assert.Equal(
            [("alice", ErrorCode.DuplicateResource), ("carol", ErrorCode.ResourceNotFound), ("dave", ErrorCode.None)],
            results.Select(r => (r.User, r.Error)));
        Assert.Null(store.Find("alice", 2));
        Assert.NotNull(store.Find("alice", 1));
        Assert.Null(store.Find("carol", 1));
        Assert.NotNull(store.Find("dave", 1));
    }

    [Fact]
    public void DescribingUnknownOrRepeatedUsers_AnswersEachWithItsError()
    {
        var store = Store();
        store.Alter([new("alice", 1, Credential)]);

        var users = store.Describe(["alice", "nobody", "alice"]);

        Assert.Equal([("alice", ErrorCode.DuplicateResource), ("nobody", ErrorCode.ResourceNotFound)], users.Select(u => (u.User, u.Error)));
        Assert.All(users, u => Assert.Empty(u.Credentials));
    }
}
