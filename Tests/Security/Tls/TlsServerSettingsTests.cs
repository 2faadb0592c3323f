using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Gateway.Tls;

namespace Tributary.Tests.Security.Tls;

/// <summary>TLS settings that cannot be served, or would be ignored, are refused naming the setting, never accepted.</summary>
public sealed class TlsServerSettingsTests
{
    [Theory]
    [InlineData("ClientAuth", "maybe", "ClientAuth 'maybe' is not none, requested or required.")]
    [InlineData("ClientAuth", "required", "ClientAuth required needs TruststoreLocation or TruststoreCertificates to check client certificates against.")]
    [InlineData("TruststoreLocation", "/ca.pem", "a truststore is set, but ClientAuth is none: no client certificate would be checked against it.")]
    [InlineData("EnabledProtocols", "TLSv1.1,TLSv1.2", "EnabledProtocols names TLSv1.1; served: TLSv1.2, TLSv1.3.")]
    [InlineData("EnabledProtocols", " , ", "EnabledProtocols names no protocol.")]
    [InlineData("PrincipalMappingRules", "RULE:^CN=(.*)$/$1/L", "PrincipalMappingRules are set, but ClientAuth is none: no client certificate would be mapped.")]
    [InlineData("KeyPassword", "secret", "KeyPassword is for an encrypted PEM key; a PKCS12 keystore takes KeystorePassword.")]
    [InlineData("KeystoreType", "JKS", "KeystoreType JKS is not served: PKCS12 or PEM (a JKS store converts with keytool -importkeystore -deststoretype PKCS12).")]
    [InlineData("KeystoreLocation", "", "a TLS port needs KeystoreLocation, or KeystoreCertificateChain with KeystoreKey.")]
    public void ASettingThatCannotBeHonoured_IsRefused(string setting, string value, string reason)
    {
        var options = new TlsOptions { KeystoreLocation = "/nowhere.p12" };
        typeof(TlsOptions).GetProperty(setting)!.SetValue(options, value);

        var e = Assert.Throws<InvalidOperationException>(() => TlsServer.Create(options, "Tributary:Kafka:Ssl", NullLogger.Instance));

        Assert.Equal($"Tributary:Kafka:Ssl: {reason}", e.Message);
    }

    [Fact]
    public void BadRules_AreRefused_NamingTheRule()
    {
        var options = new TlsOptions { KeystoreLocation = "/nowhere.p12", ClientAuth = "required", TruststoreLocation = "/ca.pem", PrincipalMappingRules = "RULE:x/y" };

        var e = Assert.Throws<InvalidOperationException>(() => TlsServer.Create(options, "S", NullLogger.Instance));

        Assert.Equal("S: PrincipalMappingRules: Invalid rule: `RULE:x/y`.", e.Message);
    }
}
