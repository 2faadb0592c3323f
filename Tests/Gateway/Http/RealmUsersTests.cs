using Tributary.Gateway.Http.Authentication;

namespace Tributary.Tests.Gateway.Http;

/// <summary>Jetty realm files as Confluent's users write them for <c>PropertyFileLoginModule</c>.</summary>
public sealed class RealmUsersTests
{
    [Fact]
    public void AUser_AuthenticatesWithItsPassword_PlainObfuscatedOrMd5_AndGetsItsRoles()
    {
        var users = RealmUsers.Parse("""
            # comment
            ! another
            plain: secret, admin ,developer
            obf= OBF:1v2j1uum1xtv1zej1zer1xtn1uvk1v1v
            md5: MD5:5ebe2294ecd0e0f08eab7690d2a6ee69,user
            accented: OBF:1v2jU12luU0wjaU0mv71zej1zerU12lvU102sU0mo31v1v
            """);

        Assert.Equal(["admin", "developer"], users.Authenticate("plain", "secret")!);
        Assert.Empty(users.Authenticate("obf", "password")!);
        Assert.Equal(["user"], users.Authenticate("md5", "secret")!);
        Assert.Empty(users.Authenticate("accented", "pässwörd")!);
        Assert.Null(users.Authenticate("plain", "Secret"));
        Assert.Null(users.Authenticate("md5", "5ebe2294ecd0e0f08eab7690d2a6ee69"));
        Assert.Null(users.Authenticate("nobody", "secret"));
    }

    [Fact]
    public void ARealmFile_IsReadAsJavaReadsProperties()
    {
        var file = Path.Combine(Path.GetTempPath(), "realm-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Latin-1 bytes, as Properties.load(InputStream) reads them: é is one byte, 0xE9.
            File.WriteAllBytes(file, System.Text.Encoding.Latin1.GetBytes(
                "  # indented comment\r\n" +
                "blank secret,admin\r\n" +
                "long\\ name = first\\\n" +
                "      half,dev\n" +
                "escaped: a\\:b\\u0041\\\\,ops\r" +
                "caf\u00e9: d\u00e9j\u00e0\n" +
                "blank: replaced\n" +
                "\\ : no name\n" +
                "nbsp: pass\u00a0, user\n"));
            var users = RealmUsers.Read(file);

            Assert.Null(users.Authenticate("blank", "secret"));
            Assert.Empty(users.Authenticate("blank", "replaced")!);
            Assert.Equal(["dev"], users.Authenticate("long name", "firsthalf")!);
            Assert.Equal(["ops"], users.Authenticate("escaped", "a:bA\\")!);
            Assert.Empty(users.Authenticate("caf\u00e9", "d\u00e9j\u00e0")!);

            // Trimmed as Java trims: an escaped blank name is no user, and a no-break space is part of the password.
            Assert.Null(users.Authenticate("", "no name"));
            Assert.Null(users.Authenticate(" ", "no name"));
            Assert.Null(users.Authenticate("nbsp", "pass"));
            Assert.Equal(["user"], users.Authenticate("nbsp", "pass\u00a0")!);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("user: CRYPT:adpexzg3FUZAk")]
    [InlineData("user: MD5:not-hex")]
    [InlineData("user: OBF:1v2j1uu")]
    [InlineData("lonely")]
    [InlineData("user: pass\\u00zz")]
    [InlineData("user: ,admin")]
    public void AnEntryThatCannotBeRead_IsRefused_NamingItsLine(string entry)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => RealmUsers.Parse("ok: fine\n" + entry));
        Assert.StartsWith("line 2", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Realm", "caf\u00e9")]
    [InlineData("Realm", "a\"b")]
    [InlineData("Roles", " , ")]
    [InlineData("UsersFile", " ")]
    [InlineData("Method", "DIGEST")]
    public void SettingsThatCannotBeHonoured_AreRefused(string setting, string value)
    {
        var options = new HttpAuthenticationOptions { Method = "BASIC", Users = new() { ["u"] = "p" } };
        switch (setting)
        {
            case "Realm": options.Realm = value; break;
            case "Roles": options.Roles = value; break;
            case "UsersFile": options.UsersFile = value; options.Users.Clear(); break;
            default: options.Method = value; break;
        }

        Assert.NotNull(options.Invalid("Tributary:RestProxy:Authentication"));
        Assert.Null(new HttpAuthenticationOptions { Method = "BASIC", Users = new() { ["u"] = "p" } }.Invalid("Tributary:RestProxy:Authentication"));
    }

    [Fact]
    public void Bearer_TakesNoUsers_ButBasicAlongsideWhenGiven_AndOnlyEveryRole()
    {
        var bearer = new HttpAuthenticationOptions { Method = "BEARER" };
        Assert.Null(bearer.Invalid("Tributary:RestProxy:Authentication"));
        Assert.True(bearer.TakesBearer);
        Assert.False(bearer.TakesBasic);

        var both = new HttpAuthenticationOptions { Method = "bearer", Users = new() { ["u"] = "p" } };
        Assert.Null(both.Invalid("Tributary:RestProxy:Authentication"));
        Assert.True(both.TakesBasic);

        // Tokens carry no roles: an API that only some roles may use cannot take them.
        Assert.Equal(
            "Tributary:RestProxy:Authentication: bearer tokens carry no roles, so with BEARER Roles must be *.",
            new HttpAuthenticationOptions { Method = "BEARER", Roles = "admin" }.Invalid("Tributary:RestProxy:Authentication"));
    }
}
