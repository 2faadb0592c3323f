using System.Text;
using Tributary.Gateway.Kafka.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>The server's side of SCRAM, on RFC 7677's example exchange and on what a client could get wrong.</summary>
public sealed class ScramExchangeTests
{
    // RFC 7677 §3: user "user", password "pencil".
    private const string ClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private const string ServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private const string ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private const string ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private const string ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramExchange Exchange(string knownUser = "user")
    {
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        var mechanism = ScramMechanism.Sha256;
        var credential = mechanism.Credential(salt, mechanism.SaltPassword("pencil"u8, salt, 4096), 4096);
        return new ScramExchange(mechanism, user => ValueTask.FromResult(user == knownUser ? credential : null), new byte[32], () => ServerNonce);
    }

    private static async Task<SaslStep> Step(ScramExchange exchange, string message) => await exchange.EvaluateAsync(Encoding.UTF8.GetBytes(message));

    [Fact]
    public async Task RfcSevenSixSevenSevensExchange_Authenticates_WithItsServerSignature()
    {
        var exchange = Exchange();

        var first = await Step(exchange, ClientFirst);
        Assert.Equal(ServerFirst, Encoding.UTF8.GetString(first.ServerToken));
        var final = await Step(exchange, ClientFinal);

        Assert.Equal(ServerFinal, Encoding.UTF8.GetString(final.ServerToken));
        Assert.Equal("User:user", final.Principal);
    }

    [Fact]
    public async Task AWrongProof_AndAnUnknownUser_FailAtTheProof_WithTheSameMessage()
    {
        var wrong = Exchange();
        await Step(wrong, ClientFirst);
        var refused = await Step(wrong, ClientFinal.Replace("p=dHzb", "p=eHzb", StringComparison.Ordinal));

        var unknown = Exchange(knownUser: "someone else");
        var first = await Step(unknown, ClientFirst);
        Assert.False(first.IsFailed);
        Assert.Matches("^r=rOprNGfwEbeRWgbNEkqO.*,s=[A-Za-z0-9+/=]+,i=4096$", Encoding.UTF8.GetString(first.ServerToken));
        var unknownFinal = await Step(unknown, ClientFinal);

        Assert.Equal("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256", refused.Failure);
        Assert.Equal(refused.Failure, unknownFinal.Failure);
    }

    [Theory]
    [InlineData("p,,n=user,r=abc")]
    [InlineData("y,,n=user,r=abc")]
    [InlineData("n,a=other,n=user,r=abc")]
    [InlineData("n,,n=us=er,r=abc")]
    [InlineData("n,,n=user,r=")]
    [InlineData("n,,n=user,r=abc,tokenauth=true")]
    [InlineData("n,,r=abc,n=user")]
    public async Task AClientFirstMessageKafkaWouldRefuse_Fails(string message) =>
        Assert.True((await Step(Exchange(), message)).IsFailed);

    [Fact]
    public async Task AFinalMessageWithAnotherNonceOrBinding_Fails()
    {
        var otherNonce = Exchange();
        await Step(otherNonce, ClientFirst);
        Assert.True((await Step(otherNonce, ClientFinal.Replace("k0,p=", "k1,p=", StringComparison.Ordinal))).IsFailed);

        var otherBinding = Exchange();
        await Step(otherBinding, ClientFirst);
        Assert.True((await Step(otherBinding, ClientFinal.Replace("c=biws", "c=eSws", StringComparison.Ordinal))).IsFailed);
    }

    [Fact]
    public async Task AnEscapedUserName_IsTheNameWithItsCommaAndEquals()
    {
        var exchange = Exchange(knownUser: "a,b=c");

        var first = await Step(exchange, "n,,n=a=2Cb=3Dc,r=abc");

        Assert.False(first.IsFailed);
        Assert.StartsWith("r=abc%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==", Encoding.UTF8.GetString(first.ServerToken), StringComparison.Ordinal);
    }
}
