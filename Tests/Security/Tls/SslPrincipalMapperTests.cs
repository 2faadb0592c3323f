using Tributary.Gateway.Tls;

namespace Tributary.Tests.Security.Tls;

/// <summary>Kafka's <c>ssl.principal.mapping.rules</c>, with the examples of Kafka's documentation and its own tests.</summary>
public sealed class SslPrincipalMapperTests
{
    [Theory]
    [InlineData("DEFAULT", "CN=Duke,OU=ServiceUsers,O=Org,C=US", "CN=Duke,OU=ServiceUsers,O=Org,C=US")]
    [InlineData("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT", "CN=Duke,OU=ServiceUsers,O=Org,C=US", "Duke")]
    [InlineData("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,DEFAULT", "CN=Duke,OU=JavaSoft,O=Sun Microsystems", "CN=Duke,OU=JavaSoft,O=Sun Microsystems")]
    [InlineData("RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L", "CN=Duke,OU=JavaSoft,O=Sun Microsystems,L=Santa Clara,ST=CA,C=US", "duke@javasoft")]
    [InlineData("RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/U", "CN=Duke,OU=JavaSoft,O=Sun Microsystems,L=Santa Clara,ST=CA,C=US", "DUKE@JAVASOFT")]
    [InlineData("RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L", "cn=duke,ou=JavaSoft", "duke")]
    [InlineData("RULE:^CN=(.*),OU=(.*)$/$1 \\/ $2/", "CN=a,OU=b", "a / b")]
    [InlineData("RULE:^CN=(.*?),OU=(.*)$/$1-$3/", "CN=a,OU=b", "a-$3")]
    [InlineData("RULE:^CN=(.*?),OU=(.*)$/$12/", "CN=a,OU=b", "a2")]
    [InlineData("  RULE:^CN=(x)$/$1/L ,  DEFAULT  ", "CN=y", "CN=y")]
    [InlineData("RULE:CN=(.*?)/$1/", "CN=duke", "duke")]
    [InlineData("RULE:CN=(.*?),OU=(eng|engineering)/$1 of $2/", "CN=duke,OU=engineering", "duke of engineering")]
    public void TheFirstRuleThatApplies_NamesThePrincipal(string rules, string distinguishedName, string expected)
    {
        Assert.Equal(expected, SslPrincipalMapper.Parse(rules).Map(distinguishedName));
    }

    [Fact]
    public void WhenNoRuleApplies_ThereIsNoPrincipal()
    {
        Assert.Null(SslPrincipalMapper.Parse("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/").Map("CN=Eve,OU=Contractors"));
    }

    [Theory]
    [InlineData("DEFAULT,DEFAULTS")]
    [InlineData("RULE:^CN=(.*)$/$1")]
    [InlineData("RULE:^CN=(.*)$/$1/X")]
    [InlineData("FOO")]
    [InlineData("RULE:^CN=(?<user>[^,]+),OU=([^,]+)$/$1/")]
    public void WhatIsNeitherForm_IsRefused(string rules)
    {
        Assert.Throws<ArgumentException>(() => SslPrincipalMapper.Parse(rules));
    }
}
