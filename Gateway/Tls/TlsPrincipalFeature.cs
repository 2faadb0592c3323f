namespace Tributary.Gateway.Tls;

/// <summary>
/// A connection's principal as its TLS handshake established it (<c>User:</c> and the mapped certificate subject), or
/// null when the client gave no certificate.
/// </summary>
public sealed record TlsPrincipalFeature(string? Principal);
