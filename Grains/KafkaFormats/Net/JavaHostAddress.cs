using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tributary.Grains.KafkaFormats.Net;

/// <summary>
/// An IP address as Java's <c>InetAddress.getHostAddress()</c> writes it, which is how Kafka names clients' hosts (in
/// ACLs, group descriptions, IP quotas): IPv4 dotted, an IPv4-mapped IPv6 address as its IPv4 address, IPv6 as eight
/// lower-case hexadecimal groups with none elided (<c>0:0:0:0:0:0:0:1</c>), a scope after <c>%</c>.
/// </summary>
public static class JavaHostAddress
{
    public static string Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        var groups = Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture));
        return string.Join(':', groups) + (address.ScopeId != 0 ? "%" + address.ScopeId.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>An address written in any form (<c>::1</c>, <c>127.0.0.1</c>) in Java's; null when it is not an IP address.</summary>
    public static string? Canonical(string address) => IPAddress.TryParse(address, out var parsed) ? Of(parsed) : null;
}
