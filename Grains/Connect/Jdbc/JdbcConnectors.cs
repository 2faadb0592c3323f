namespace Tributary.Grains.Connect.Jdbc;

/// <summary>What the JDBC connectors share: the kafka-connect-jdbc release whose configuration and behaviour they follow.</summary>
internal static class JdbcConnectors
{
    public const string Version = "10.8.0";
}
