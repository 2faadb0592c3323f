using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tributary.Gateway.Tls;

namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// The authentication of one API's port, with Confluent's <c>authentication.method</c>: HTTP Basic (BASIC), or bearer
/// tokens (BEARER, Tributary's own, checked as the Kafka listeners' OAUTHBEARER tokens) with Basic for any users given.
/// A request without credentials gets 401 with a challenge for the realm; wrong credentials or a bad token get 401 too
/// (which part was wrong is never told, and a rate-limited line is logged); a user none of whose roles is allowed gets
/// 403. An authenticated request carries the user as <see cref="HttpContext.User"/>. Thread-safe.
/// </summary>
public sealed partial class HttpAuthenticator
{
    private readonly string _api;
    private readonly string[] _challenges;

    /// <summary>RFC 6750: a token that was sent and refused is named as such in the challenge.</summary>
    private readonly string[] _invalidTokenChallenges;
    private readonly bool _takesBasic;
    private readonly IBearerTokens? _bearerTokens;
    private readonly HashSet<string>? _allowedRoles;
    private readonly ReloadingStore<RealmUsers> _users;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RefusalLog _refusals;

    private readonly ISaslUsers? _saslUsers;

    public HttpAuthenticator(
        string api, HttpAuthenticationOptions options, ILogger logger, TimeProvider? time = null, ISaslUsers? saslUsers = null, IBearerTokens? bearerTokens = null)
    {
        _saslUsers = options.KafkaUsers ? saslUsers ?? throw new ArgumentException("KafkaUsers needs the Kafka listeners' users.", nameof(saslUsers)) : null;
        _bearerTokens = options.TakesBearer ? bearerTokens ?? throw new ArgumentException("BEARER needs the Kafka listeners' token checks.", nameof(bearerTokens)) : null;
        _takesBasic = options.TakesBasic;
        _api = api;
        var basic = $"Basic realm=\"{options.Realm}\", charset=\"UTF-8\"";
        var bearer = $"Bearer realm=\"{options.Realm}\"";
        _challenges = _bearerTokens is null ? [basic] : _takesBasic ? [bearer, basic] : [bearer];
        _invalidTokenChallenges = [.. _challenges.Select(c => c == bearer ? bearer + ", error=\"invalid_token\"" : c)];
        var roles = options.Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        _allowedRoles = roles.Contains("*") || roles.Contains("**") ? null : roles.ToHashSet(StringComparer.Ordinal);
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _refusals = new RefusalLog(_time);
        _users = options.UsersFile is { } file
            ? new ReloadingStore<RealmUsers>(() => RealmUsers.Read(file), file, _time, e => LogUnreadable(logger, api, file, e.Message))
            : new ReloadingStore<RealmUsers>(() => RealmUsers.From(options.Users), null, _time, _ => { });
    }

    /// <summary>Lets an authenticated, allowed request through; answers the others with Confluent's error body.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next, string contentType)
    {
        if (_bearerTokens is not null && TryReadBearer(context.Request, out var token))
        {
            return AuthenticateBearerAsync(context, next, contentType, token);
        }

        if (!_takesBasic || !TryReadCredentials(context.Request, out var user, out var password))
        {
            return RefuseAsync(context, contentType, user: null);
        }

        if (_users.Current.Authenticate(user, password) is not { } roles)
        {
            return _saslUsers is null ? RefuseAsync(context, contentType, user) : AuthenticateSaslUserAsync(context, next, contentType, user, password);
        }

        if (_allowedRoles is not null && !roles.Any(_allowedRoles.Contains))
        {
            return PortApi.WriteErrorAsync(context, contentType, StatusCodes.Status403Forbidden, "Forbidden");
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Basic"));
        return next(context);
    }

    /// <summary>A user of the Kafka listeners: no roles, let in where every authenticated user is.</summary>
    private async Task AuthenticateSaslUserAsync(HttpContext context, RequestDelegate next, string contentType, string user, string password)
    {
        if (!await _saslUsers!.AuthenticateAsync(user, password))
        {
            await RefuseAsync(context, contentType, user);
            return;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "Basic"));
        await next(context);
    }

    /// <summary>A bearer token's principal: no roles, let in where every authenticated user is.</summary>
    private async Task AuthenticateBearerAsync(HttpContext context, RequestDelegate next, string contentType, string token)
    {
        var (user, why) = Jwt().IsMatch(token) ? await _bearerTokens!.AuthenticateAsync(token) : (null, "the token is not in OAUTHBEARER's token grammar");
        if (user is null)
        {
            await RefuseAsync(context, contentType, "(bearer)", invalidToken: true, why);
            return;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "Bearer"));
        await next(context);
    }

    private static bool TryReadBearer(HttpRequest request, out string token)
    {
        token = "";
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(header.Parameter))
        {
            return false;
        }

        token = header.Parameter;
        return true;
    }

    private Task RefuseAsync(HttpContext context, string contentType, string? user, bool invalidToken = false, string? why = null)
    {
        if (user is not null && _refusals.ShouldLog(out var suppressed))
        {
            LogRefused(_logger, _api, context.Connection.RemoteIpAddress?.ToString(), why ?? "authentication failed", suppressed);
        }

        context.Response.Headers.WWWAuthenticate = invalidToken ? _invalidTokenChallenges : _challenges;
        return PortApi.WriteErrorAsync(context, contentType, StatusCodes.Status401Unauthorized, "Unauthorized");
    }

    private static bool TryReadCredentials(HttpRequest request, out string user, out string password)
    {
        user = password = "";
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        // Headers are bounded by Kestrel's limits; a credential of any length they let through is read.
        var decoded = header.Parameter.Length <= 1368 ? stackalloc byte[1024] : new byte[(header.Parameter.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(header.Parameter, decoded, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(decoded[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>A JWT in the characters Kafka's OAUTHBEARER grammar takes (base64url and dots), so both ports read tokens alike.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\A[-_.a-zA-Z0-9]+\z")]
    private static partial System.Text.RegularExpressions.Regex Jwt();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Api}: a request from {Client} was refused: {Reason} ({Suppressed} more not logged)")]
    private static partial void LogRefused(ILogger logger, string api, string? client, string reason, long suppressed);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Api}: the users file {File} cannot be read; the last users read stay in force: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string api, string file, string reason);
}
