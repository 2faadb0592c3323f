using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Tributary.Gateway.Tls;

namespace Tributary.Tests.Security.Tls;

/// <summary>Subjects written as Java's <c>X500Principal.getName()</c> writes them, the form Kafka's mapping rules see.</summary>
public sealed class DistinguishedNamesTests
{
    [Theory]
    [InlineData("CN=Duke, OU=JavaSoft, O=Sun Microsystems, C=US", "CN=Duke,OU=JavaSoft,O=Sun Microsystems,C=US")]
    [InlineData("CN=\"Tkac, Adam\", OU=ITZ, DC=geodis, DC=cz", "CN=Tkac\\, Adam,OU=ITZ,DC=geodis,DC=cz")]
    [InlineData("CN=a+b, L=Santa Clara, ST=CA", "CN=a\\+b,L=Santa Clara,ST=CA")]
    [InlineData("CN=\" lead\"", "CN=\\ lead")]
    [InlineData("UID=jsmith, DC=example, DC=net", "UID=jsmith,DC=example,DC=net")]
    [InlineData("CN=Duke, E=duke@example.com", "CN=Duke,1.2.840.113549.1.9.1=#161064756b65406578616d706c652e636f6d")]
    public void ASubject_IsWrittenMostSpecificFirst_WithoutSpaces_AndEscaped(string subject, string expected)
    {
        Assert.Equal(expected, DistinguishedNames.Rfc2253(new X500DistinguishedName(subject)));
    }

    /// <summary>A name built in code comes out in the order .NET writes it (<see cref="X500DistinguishedName.Name"/>), as Java would.</summary>
    [Fact]
    public void ABuiltName_AndAMultiValuedOne()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCountryOrRegion("US");
        builder.AddOrganizationName("Acme");
        var name = builder.Build();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSetOf())
            {
                Attribute(writer, "2.5.4.3", "Duke");
                Attribute(writer, "2.5.4.11", "Sales");
            }

            using (writer.PushSetOf())
            {
                Attribute(writer, "2.5.4.10", "Acme");
            }
        }

        var multi = new X500DistinguishedName(writer.Encode());

        Assert.Equal("C=US,O=Acme", DistinguishedNames.Rfc2253(name));
        Assert.Equal("O=Acme,CN=Duke+OU=Sales", DistinguishedNames.Rfc2253(multi));
    }

    private static void Attribute(AsnWriter writer, string oid, string value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        }
    }
}
