using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Listeners;

namespace Tributary.Tests.Gateway.Kafka.Listeners;

/// <summary>Kafka's <c>listeners</c>, <c>advertised.listeners</c> and <c>listener.security.protocol.map</c>, read as Kafka reads them.</summary>
public sealed class KafkaListenersTests
{
    [Fact]
    public void WithoutListeners_OnePlaintextListener_OnThePort_AdvertisedAtTheAdvertisedHost()
    {
        var listener = Assert.Single(KafkaListeners.From(new KafkaListenerOptions { Port = 9192, AdvertisedHost = "broker-1", AdvertisedPort = 19192 }));

        Assert.Equal(new KafkaListener("PLAINTEXT", "", 9192, SecurityProtocol.Plaintext, "broker-1", 19192), listener);
        Assert.Equal(("PLAINTEXT://:9192", "PLAINTEXT://broker-1:19192"), (listener.Bound, listener.Advertised));
    }

    [Fact]
    public void NamedListeners_TakeTheirProtocolFromTheMap_AndTheirAddressFromTheAdvertisedOnes_ElseTheirOwn()
    {
        var listeners = KafkaListeners.From(new KafkaListenerOptions
        {
            AdvertisedHost = "silo-0.brokers",
            Listeners = "INTERNAL://:9092, EXTERNAL://0.0.0.0:9094,LOCAL://127.0.0.1:9095",
            AdvertisedListeners = "EXTERNAL://kafka.example.com:443",
            ListenerSecurityProtocolMap = "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,LOCAL:PLAINTEXT",
        });

        Assert.Equal(
        [
            new KafkaListener("INTERNAL", "", 9092, SecurityProtocol.Plaintext, "silo-0.brokers", 9092),
            new KafkaListener("EXTERNAL", "0.0.0.0", 9094, SecurityProtocol.Plaintext, "kafka.example.com", 443),
            new KafkaListener("LOCAL", "127.0.0.1", 9095, SecurityProtocol.Plaintext, "127.0.0.1", 9095),
        ], listeners);
    }

    [Fact]
    public void Names_AreCaseInsensitive_AndAWildcardAddress_IsAdvertisedAsTheAdvertisedHost()
    {
        var listeners = KafkaListeners.From(new KafkaListenerOptions
        {
            AdvertisedHost = "broker-1",
            Listeners = "internal://0.0.0.0:9092,sasl_plaintext://[::]:9093",
            ListenerSecurityProtocolMap = "Internal:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
        });

        Assert.Equal(
            [("INTERNAL", SecurityProtocol.Plaintext, "broker-1:9092"), ("SASL_PLAINTEXT", SecurityProtocol.SaslPlaintext, "broker-1:9093")],
            listeners.Select(l => (l.Name, l.Protocol, $"{l.AdvertisedHost}:{l.AdvertisedPort}")));
    }

    [Fact]
    public void TheDefaultMap_NamesEachProtocolAsItself() =>
        Assert.Equal(SecurityProtocol.Plaintext, Assert.Single(KafkaListeners.From(new KafkaListenerOptions { Listeners = "PLAINTEXT://:9092" })).Protocol);

    [Theory]
    [InlineData("PLAINTEXT://:9092", "INTERNAL://h:1", null, "AdvertisedListeners names INTERNAL, which Listeners does not.")]
    [InlineData("PLAINTEXT://:9092,OTHER://:9092", null, "PLAINTEXT:PLAINTEXT,OTHER:PLAINTEXT", "Listeners binds port 9092 more than once.")]
    [InlineData("PLAINTEXT://:9092,PLAINTEXT://:9093", null, null, "Listeners names PLAINTEXT more than once.")]
    [InlineData("INTERNAL://:9092", null, null, "Listener INTERNAL has no security protocol in ListenerSecurityProtocolMap.")]
    [InlineData("PLAINTEXT:9092", null, null, "Listeners entry 'PLAINTEXT:9092' is not NAME://host:port.")]
    [InlineData("PLAINTEXT://:port", null, null, "Listeners entry 'PLAINTEXT://:port' is not NAME://host:port.")]
    [InlineData("PLAINTEXT://:0", null, null, "Listeners entry 'PLAINTEXT://:0' is not NAME://host:port.")]
    [InlineData("A://:9092", null, "A:TLS", "ListenerSecurityProtocolMap entry 'A:TLS' is not NAME:PROTOCOL with a new name and one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.")]
    public void WhatKafkaWouldRefuse_IsRefusedAtStart_NamingTheSetting(string listeners, string? advertised, string? map, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => KafkaListeners.From(new KafkaListenerOptions
        {
            Listeners = listeners,
            AdvertisedListeners = advertised,
            ListenerSecurityProtocolMap = map,
        }));

        Assert.Equal($"Tributary:Kafka: {reason}", e.Message);
    }

    [Theory]
    [InlineData("PLAINTEXT://:19092", "--Tributary:Kafka:Sasl:PlainUsers:alice", "a", "Tributary:Kafka:Sasl is set, but no listener is SASL_PLAINTEXT or SASL_SSL (Tributary:Kafka:Listeners).")]
    [InlineData("SASL_PLAINTEXT://:19093", "--Tributary:Kafka:Sasl:EnabledMechanisms", "GSSAPI", "Tributary:Kafka:Sasl:EnabledMechanisms names GSSAPI, which this broker does not serve; served: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER.")]
    [InlineData("SASL_PLAINTEXT://:19098", "--Tributary:Kafka:Sasl:EnabledMechanisms", "OAUTHBEARER", "Tributary:Kafka:Sasl:OAuthBearer:JwksEndpointUrl must name the JWKS endpoint whose keys sign the tokens: https://, a file: URL, or http:// on a loopback address.")]
    [InlineData("SASL_PLAINTEXT://:19102", "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedAudiences", "a", "Tributary:Kafka:Sasl:OAuthBearer: ExpectedAudiences is not a setting here; the settings are JwksEndpointUrl, JwksEndpointRefreshMs, ClockSkewSeconds, ExpectedAudience, ExpectedIssuer, SubClaimName.")]
    [InlineData("SASL_PLAINTEXT://:19103", "--Tributary:Kafka:Sasl:OAuthBearer:SubClaimName", "email", "Tributary:Kafka:Sasl:OAuthBearer is set, but EnabledMechanisms does not name OAUTHBEARER.")]
    [InlineData("SASL_PLAINTEXT://:19099", "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedIssuer", "https://issuer", "Tributary:Kafka:Sasl:OAuthBearer is set, but EnabledMechanisms does not name OAUTHBEARER.")]
    [InlineData("SSL://:19094", "--Tributary:Kafka:AutoCreateTopics", "true", "Tributary:Kafka:Ssl: a TLS port needs KeystoreLocation, or KeystoreCertificateChain with KeystoreKey.")]
    [InlineData("PLAINTEXT://:19095", "--Tributary:Kafka:Ssl:KeystoreLocation", "/nowhere.p12", "Tributary:Kafka:Ssl is set, but no listener is SSL or SASL_SSL (Tributary:Kafka:Listeners).")]
    [InlineData("SSL://:19096", "--Tributary:Kafka:Ssl:KeystoreType", "JKS", "Tributary:Kafka:Ssl: KeystoreType JKS is not served: PKCS12 or PEM (a JKS store converts with keytool -importkeystore -deststoretype PKCS12).")]
    [InlineData("SSL://:19097", "--Tributary:Kafka:Ssl:KeystoreLocation", "/nowhere.p12", "Tributary:Kafka:Ssl: the keystore /nowhere.p12 cannot be read: /nowhere.p12 does not exist.")]
    [InlineData("SSL://:19100", "--Tributary:Kafka:Ssl:KeystorLocation", "/typo.p12", "Tributary:Kafka:Ssl: KeystorLocation is not a setting here; the settings are KeystoreType, KeystoreLocation, KeystorePassword, KeyPassword, KeystoreCertificateChain, KeystoreKey, TruststoreType, TruststoreLocation, TruststorePassword, TruststoreCertificates, ClientAuth, EnabledProtocols, PrincipalMappingRules.")]
    [InlineData("SASL_SSL://:19101", "--Tributary:Kafka:Ssl:ClientAuth", "required", "Tributary:Kafka:Ssl: ClientAuth applies to SSL listeners, and none is SSL: on SASL_SSL, SASL authenticates (as in Kafka, a SASL_SSL listener asks for certificates too only with its own Tributary:Kafka:ListenerName:<NAME>:Ssl:ClientAuth).")]
    [InlineData("SSL://:19102", "--Tributary:Kafka:ListenerName:NOPE:Ssl:ClientAuth", "required", "Tributary:Kafka:ListenerName:NOPE: no listener of Tributary:Kafka:Listeners is named NOPE.")]
    [InlineData("PLAINTEXT://:19103", "--Tributary:Kafka:ListenerName:PLAINTEXT:Ssl:ClientAuth", "required", "Tributary:Kafka:ListenerName:PLAINTEXT:Ssl is set, but listener PLAINTEXT is PLAINTEXT, not SSL or SASL_SSL.")]
    [InlineData("SSL://:19104", "--Tributary:Kafka:ListenerName:SSL:Sasl:Mechanisms", "PLAIN", "Tributary:Kafka:ListenerName:SSL:Sasl is not a setting; a listener's own settings are its Ssl ones.")]
    [InlineData("SSL://:19105", "--Tributary:Kafka:ListenerName:SSL:Ssl:ClientAth", "required", "Tributary:Kafka:ListenerName:SSL:Ssl: ClientAth is not a setting here;")]
    public void ASiloWithSettingsItWouldNotHonour_DoesNotStart(string listeners, string setting, string value, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Tributary.Silo.TributaryHost.Build(["--Tributary:Kafka:Listeners", listeners, setting, value]));

        Assert.StartsWith(reason, e.Message);
    }
}
