using Tributary.Grains.KafkaFormats.Security;
using Tributary.Grains.Security;

namespace Tributary.Tests.Security.Acls;

/// <summary>Kafka's standard authorizer rules, case by case, as its own authorizer tests state them.</summary>
public sealed class AclAuthorizerTests
{
    private const string Alice = "User:alice";
    private const string Bob = "User:bob";
    private const string Host = "10.0.0.1";

    private static AclBinding Acl(
        string name, AclOperation operation, AclPermission permission = AclPermission.Allow, string principal = Alice,
        AclPatternType pattern = AclPatternType.Literal, AclResourceType type = AclResourceType.Topic, string host = "*") =>
        new(type, name, pattern, principal, host, operation, permission);

    private static AclAuthorizer Authorizer(bool allowIfNoAcl = false, string? superUsers = null, params AclBinding[] acls) =>
        new(acls, AclAuthorizer.ParseSuperUsers(superUsers), allowIfNoAcl);

    [Fact]
    public void ASuperUser_MayDoAnything_EvenWhereADenyNamesIt()
    {
        var authorizer = Authorizer(superUsers: "User:admin; User:ops", acls: Acl("t", AclOperation.All, AclPermission.Deny, "User:admin"));

        Assert.True(authorizer.Authorize("User:admin", Host, AclOperation.Delete, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize("User:ops", Host, AclOperation.Alter, AclResourceType.Cluster, AclBinding.ClusterName));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void AResourceNoAclNames_IsLeftToAllowEveryoneIfNoAclFound(bool allowIfNoAcl, bool allowed)
    {
        var authorizer = Authorizer(allowIfNoAcl, acls: Acl("other", AclOperation.Read));

        Assert.Equal(allowed, authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
        Assert.Equal(allowed, authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Group, "t"));
    }

    [Fact]
    public void AResourceWithAclsForOthersOnly_IsDenied_EvenWhenEveryoneIsAllowedWithoutAcls()
    {
        var authorizer = Authorizer(allowIfNoAcl: true, acls: Acl("t", AclOperation.Read, principal: Bob));

        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Bob, Host, AclOperation.Read, AclResourceType.Topic, "t"));
    }

    [Fact]
    public void AnAllow_AllowsItsOperation_AndDescribeWhereKafkaImpliesIt()
    {
        var authorizer = Authorizer(acls: [Acl("t", AclOperation.Write), Acl("c", AclOperation.AlterConfigs)]);

        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Write, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Describe, AclResourceType.Topic, "t"));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.DescribeConfigs, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.DescribeConfigs, AclResourceType.Topic, "c"));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Describe, AclResourceType.Topic, "c"));
        Assert.False(authorizer.Authorize(Bob, Host, AclOperation.Write, AclResourceType.Topic, "t"));
    }

    [Fact]
    public void ADeny_Wins_ButImpliesNothing()
    {
        var authorizer = Authorizer(acls:
        [
            Acl("t", AclOperation.All, principal: "User:*"),
            Acl("t", AclOperation.Read, AclPermission.Deny),
        ]);

        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Describe, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Write, AclResourceType.Topic, "t"));
        Assert.True(authorizer.Authorize(Bob, Host, AclOperation.Read, AclResourceType.Topic, "t"));
    }

    [Fact]
    public void PrefixedAndWildcardAcls_ApplyToTheNamesTheyCover()
    {
        var authorizer = Authorizer(acls:
        [
            Acl("orders-", AclOperation.Read, pattern: AclPatternType.Prefixed),
            Acl("orders-secret", AclOperation.Read, AclPermission.Deny, pattern: AclPatternType.Prefixed),
            Acl("*", AclOperation.Write, principal: Bob),
        ]);

        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "orders-eu"));
        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "orders-"));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "orders"));
        Assert.False(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "orders-secret-1"));
        Assert.True(authorizer.Authorize(Bob, Host, AclOperation.Write, AclResourceType.Topic, "anything"));
        Assert.False(authorizer.Authorize(Bob, Host, AclOperation.Write, AclResourceType.Group, "anything"));
    }

    [Fact]
    public void AnAclForAHost_AppliesFromThatHostAlone()
    {
        var authorizer = Authorizer(acls: Acl("t", AclOperation.Read, host: Host));

        Assert.True(authorizer.Authorize(Alice, Host, AclOperation.Read, AclResourceType.Topic, "t"));
        Assert.False(authorizer.Authorize(Alice, "10.0.0.2", AclOperation.Read, AclResourceType.Topic, "t"));
    }

    [Fact]
    public void TenThousandAcls_LeaveALookupToTheAclsOfItsResource()
    {
        var acls = Enumerable.Range(0, 10_000).Select(i => Acl($"topic-{i}", AclOperation.Write, principal: $"User:u{i}")).ToArray();
        var authorizer = Authorizer(acls: acls);

        Assert.True(authorizer.Authorize("User:u4242", Host, AclOperation.Write, AclResourceType.Topic, "topic-4242"));
        Assert.False(authorizer.Authorize("User:u4242", Host, AclOperation.Write, AclResourceType.Topic, "topic-4243"));
    }

    [Theory]
    [InlineData("Any", "orders-eu", new[] { 1 })]
    [InlineData("Literal", null, new[] { 1, 3 })]
    [InlineData("Prefixed", null, new[] { 2 })]
    [InlineData("Match", "orders-eu", new[] { 1, 2, 3 })]
    [InlineData("Match", "payments", new[] { 3 })]
    [InlineData("Any", null, new[] { 1, 2, 3 })]
    public void AFilter_NamesTheBindingsKafkasFilterNames(string patternType, string? name, int[] named)
    {
        var pattern = Enum.Parse<AclPatternType>(patternType);
        var bindings = new Dictionary<int, AclBinding>
        {
            [1] = Acl("orders-eu", AclOperation.Read),
            [2] = Acl("orders-", AclOperation.Read, pattern: AclPatternType.Prefixed),
            [3] = Acl("*", AclOperation.Read),
        };
        var filter = new AclBindingFilter(AclResourceType.Topic, name, pattern, null, null, AclOperation.Any, AclPermission.Any);

        Assert.Equal(named, bindings.Where(b => filter.Matches(b.Value)).Select(b => b.Key));
        Assert.DoesNotContain(bindings.Values, new AclBindingFilter(AclResourceType.Group, null, AclPatternType.Any, null, null, AclOperation.Any, AclPermission.Any).Matches);
        Assert.DoesNotContain(bindings.Values, new AclBindingFilter(AclResourceType.Any, null, AclPatternType.Any, Bob, null, AclOperation.Any, AclPermission.Any).Matches);
    }

    [Fact]
    public void AuthorizeAny_IsAllowedByAnAllowOnSomeResource_UnlessADenyCoversAllItNames()
    {
        Assert.True(Authorizer(acls: Acl("orders", AclOperation.Write)).AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.False(Authorizer(acls: Acl("orders", AclOperation.Read)).AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.False(Authorizer(acls: Acl("orders", AclOperation.Write, principal: Bob)).AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));

        // A deny of the same literal name, of a prefix of it, or of every name covers the allow; a deny of another name does not.
        Assert.False(Authorizer(acls: [Acl("orders", AclOperation.Write), Acl("orders", AclOperation.Write, AclPermission.Deny)])
            .AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.False(Authorizer(acls: [Acl("orders", AclOperation.Write), Acl("ord", AclOperation.All, AclPermission.Deny, pattern: AclPatternType.Prefixed)])
            .AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.False(Authorizer(acls: [Acl("orders", AclOperation.Write), Acl("*", AclOperation.Write, AclPermission.Deny)])
            .AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.True(Authorizer(acls: [Acl("orders", AclOperation.Write), Acl("audit", AclOperation.Write, AclPermission.Deny)])
            .AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));

        Assert.True(Authorizer(superUsers: Alice).AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.True(Authorizer(allowIfNoAcl: true).AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
        Assert.False(Authorizer().AuthorizeAny(Alice, Host, AclOperation.Write, AclResourceType.Topic));
    }
}
