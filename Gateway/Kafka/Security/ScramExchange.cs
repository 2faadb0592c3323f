using System.Security.Cryptography;
using System.Text;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The server's side of SCRAM (RFC 5802, RFC 7677) as Kafka's ScramSaslServer runs it: the client-first message
/// (<c>n,[a=authzid],n=user,r=nonce[,extensions]</c>, no channel binding), the server-first (<c>r=nonce+ours,s=salt,i=n</c>),
/// the client-final with its proof, checked against the user's StoredKey, and the server-final with the server's
/// signature. An unknown user is led through the same steps with a made-up salt and fails at the proof, with the same
/// message as a wrong password (Kafka fails it at once): the refusal itself does not say whether the user exists,
/// though a made-up salt need not look like a real one. The server's nonce is random unless <c>serverNonce</c> gives
/// it (a test vector).
/// </summary>
public sealed class ScramExchange(
    ScramMechanism mechanism, Func<string, ValueTask<ScramCredential?>> find, byte[] unknownUserKey, Func<string>? serverNonce = null) : ISaslExchange
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    private string? _gs2Header;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;
    private string? _user;
    private ScramCredential? _credential;
    private bool _done;

    /// <summary>Kafka's message for every refusal of a SCRAM exchange.</summary>
    public string Refused => $"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism.Name}";

    public async ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> clientToken)
    {
        if (_done || !TryText(clientToken.Span, out var message))
        {
            return Fail();
        }

        return _serverFirst is null ? await FirstAsync(message) : Final(message);
    }

    private async ValueTask<SaslStep> FirstAsync(string message)
    {
        // gs2-header: "n," (no channel binding), an optional authorization id, ","; then the bare message.
        var headerEnd = message.StartsWith("n,", StringComparison.Ordinal) ? message.IndexOf(',', 2) : -1;
        if (headerEnd < 0)
        {
            return Fail();
        }

        var authorizationId = message[2..headerEnd];
        var bare = message[(headerEnd + 1)..];
        var attributes = bare.Split(',');
        if (attributes.Length < 2 || !attributes[0].StartsWith("n=", StringComparison.Ordinal) || !attributes[1].StartsWith("r=", StringComparison.Ordinal)
            || attributes[1].Length == 2 || Unescape(attributes[0][2..]) is not { Length: > 0 } user
            || (authorizationId.Length > 0 && authorizationId != "a=" + attributes[0][2..])
            || attributes.Skip(2).Any(e => e.Equals("tokenauth=true", StringComparison.OrdinalIgnoreCase)))
        {
            // Delegation tokens (the tokenauth extension) are not served.
            return Fail();
        }

        _gs2Header = message[..(headerEnd + 1)];
        _clientFirstBare = bare;
        _user = user;
        try
        {
            _credential = await find(user);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // The credentials could not be read (the control plane is away): a refusal, never an unanswered client.
            _done = true;
            return SaslStep.Failed(Refused);
        }

        var credential = _credential ?? MadeUp(user);
        _nonce = attributes[1][2..] + (serverNonce?.Invoke() ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(credential.Salt)},i={credential.Iterations}";
        return new SaslStep(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private SaslStep Final(string message)
    {
        _done = true;
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (_credential is not { } credential || proofAt < 0 || !message.StartsWith("c=", StringComparison.Ordinal))
        {
            return Fail();
        }

        var withoutProof = message[..proofAt];
        var attributes = withoutProof.Split(',');
        if (attributes.Length < 2 || attributes[0] != "c=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header!)) || attributes[1] != "r=" + _nonce
            || !TryBase64(message[(proofAt + 3)..], out var proof))
        {
            return Fail();
        }

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var signature = mechanism.Hmac(credential.StoredKey, authMessage);
        if (proof.Length != signature.Length)
        {
            return Fail();
        }

        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] ^= signature[i];
        }

        if (!CryptographicOperations.FixedTimeEquals(mechanism.Digest(proof), credential.StoredKey))
        {
            return Fail();
        }

        var serverFinal = "v=" + Convert.ToBase64String(mechanism.Hmac(credential.ServerKey, authMessage));
        return new SaslStep(Encoding.UTF8.GetBytes(serverFinal), Principal: $"User:{_user}");
    }

    private SaslStep Fail()
    {
        _done = true;
        return SaslStep.Failed(Refused);
    }

    /// <summary>A credential no password matches, the same for a user every time it is asked for.</summary>
    private ScramCredential MadeUp(string user)
    {
        var salt = HMACSHA256.HashData(unknownUserKey, Encoding.UTF8.GetBytes(user + "\0" + mechanism.Name))[..16];
        return new ScramCredential(salt, RandomNumberGenerator.GetBytes(mechanism.Digest([]).Length), [], ScramMechanism.MinIterations);
    }

    /// <summary>RFC 5802's saslname: "=2C" is a comma and "=3D" an equals sign; any other "=" makes it invalid.</summary>
    private static string? Unescape(string name)
    {
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] != '=')
            {
                text.Append(name[i]);
            }
            else if (i + 2 < name.Length && name.Substring(i, 3) is "=2C" or "=3D")
            {
                text.Append(name[i + 1] == '2' ? ',' : '=');
                i += 2;
            }
            else
            {
                return null;
            }
        }

        return text.ToString();
    }

    private static bool TryText(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = Strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
