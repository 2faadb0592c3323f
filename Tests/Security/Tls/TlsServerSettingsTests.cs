using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Gateway.Tls;

namespace Tributary.Tests.Security.Tls;

/// <summary>TLS settings that cannot be served, or would be partly ignored, are refused naming the setting, never accepted.</summary>
public sealed class TlsServerSettingsTests
{
    [Theory]
    [InlineData("ClientAuth=maybe", "ClientAuth 'maybe' is not none, requested or required.")]
    [InlineData("ClientAuth=required", "ClientAuth required needs TruststoreLocation or TruststoreCertificates to check client certificates against.")]
    [InlineData("TruststoreLocation=/ca.pem", "a truststore is set, but ClientAuth is none: no client certificate would be checked against it.")]
    [InlineData("EnabledProtocols=TLSv1.1,TLSv1.2", "EnabledProtocols names TLSv1.1; served: TLSv1.2, TLSv1.3.")]
    [InlineData("EnabledProtocols= , ", "EnabledProtocols names no protocol.")]
    [InlineData("PrincipalMappingRules=RULE:^CN=(.*)$/$1/L", "PrincipalMappingRules are set, but ClientAuth is none: no client certificate would be mapped.")]
    [InlineData("KeystorePassword=a;KeyPassword=b", "KeyPassword differs from KeystorePassword: a PKCS12 keystore's key is read with the keystore's password.")]
    [InlineData("KeystoreType=JKS", "KeystoreType JKS is not served: PKCS12 or PEM (a JKS store converts with keytool -importkeystore -deststoretype PKCS12).")]
    [InlineData("KeystoreLocation=", "a TLS port needs KeystoreLocation, or KeystoreCertificateChain with KeystoreKey.")]
    [InlineData("KeystoreType=PEM;KeystoreCertificateChain=x;KeystoreKey=y", "KeystoreLocation and KeystoreCertificateChain/KeystoreKey name two keystores; give one.")]
    [InlineData("KeystoreLocation=;KeystoreType=PEM;KeystoreKey=y", "KeystoreCertificateChain and KeystoreKey go together.")]
    [InlineData("KeystoreLocation=;KeystoreCertificateChain=x;KeystoreKey=y", "KeystoreCertificateChain and KeystoreKey are PEM text: set KeystoreType PEM.")]
    [InlineData("KeystoreType=PEM;KeystorePassword=a", "KeystorePassword is for a PKCS12 keystore; an encrypted PEM key takes KeyPassword.")]
    [InlineData("ClientAuth=required;TruststoreLocation=/a;TruststoreCertificates=b", "TruststoreLocation and TruststoreCertificates name two truststores; give one.")]
    [InlineData("ClientAuth=required;TruststoreCertificates=b", "TruststoreCertificates are PEM text: set TruststoreType PEM.")]
    [InlineData("ClientAuth=required;TruststoreType=PEM;TruststoreLocation=/a;TruststorePassword=p", "TruststorePassword is for a PKCS12 truststore; a PEM one has none.")]
    public void ASettingThatCannotBeHonoured_IsRefused(string settings, string reason)
    {
        var options = new TlsOptions { KeystoreLocation = "/nowhere.p12" };
        foreach (var setting in settings.Split(';'))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            typeof(TlsOptions).GetProperty(setting[..equals])!.SetValue(options, setting[(equals + 1)..]);
        }

        var e = Assert.Throws<InvalidOperationException>(() => TlsServer.Create(options, "Tributary:Kafka:Ssl", NullLogger.Instance));

        Assert.Equal($"Tributary:Kafka:Ssl: {reason}", e.Message);
    }

    [Fact]
    public void AKeyPasswordEqualToThePkcs12Password_IsTheKeystoresOwn()
    {
        var options = new TlsOptions { KeystoreLocation = "/nowhere.p12", KeystorePassword = "a", KeyPassword = "a" };

        var e = Assert.Throws<InvalidOperationException>(() => TlsServer.Create(options, "S", NullLogger.Instance));

        Assert.Equal("S: the keystore /nowhere.p12 cannot be read: /nowhere.p12 does not exist.", e.Message);
    }

    [Fact]
    public void BadRules_AreRefused_NamingTheRule()
    {
        var options = new TlsOptions { KeystoreLocation = "/nowhere.p12", ClientAuth = "required", TruststoreLocation = "/ca.pem", PrincipalMappingRules = "RULE:x/y" };

        var e = Assert.Throws<InvalidOperationException>(() => TlsServer.Create(options, "S", NullLogger.Instance));

        Assert.Equal("S: PrincipalMappingRules: Invalid rule: `RULE:x/y`.", e.Message);
    }
}
