using System.Globalization;

namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// A broker is a silo; its broker id travels in the silo's name (<c>broker-&lt;id&gt;</c>), which Orleans membership
/// publishes with every member, so any silo can tell which silo is which broker without asking anyone.
/// </summary>
public static class BrokerNames
{
    private const string Prefix = "broker-";

    public static string SiloName(int brokerId) => Prefix + brokerId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? siloName, out int brokerId)
    {
        brokerId = -1;
        return siloName is not null
            && siloName.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(siloName.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out brokerId);
    }
}
