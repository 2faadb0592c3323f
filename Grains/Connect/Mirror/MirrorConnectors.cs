namespace Tributary.Grains.Connect.Mirror;

/// <summary>What the MirrorMaker connector and its tasks share: the version they report, the Kafka release they follow.</summary>
internal static class MirrorConnectors
{
    public const string Version = "3.9.0";
}
