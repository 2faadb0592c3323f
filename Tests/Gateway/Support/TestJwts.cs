using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tributary.Tests.Gateway.Support;

/// <summary>JWTs signed as an OAuth issuer signs them (RS256), and the JWKS document that publishes the issuer's keys.</summary>
public static class TestJwts
{
    public static string Rs256(RSA key, string keyId, Dictionary<string, object> claims)
    {
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = keyId }))
            + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signed + "." + Base64Url(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string Jwks(IEnumerable<KeyValuePair<string, RSA>> keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(p =>
        {
            var parameters = p.Value.ExportParameters(false);
            return new { kty = "RSA", use = "sig", alg = "RS256", kid = p.Key, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) };
        }),
    });

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
