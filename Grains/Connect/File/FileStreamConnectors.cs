namespace Tributary.Grains.Connect.File;

/// <summary>What the FileStream connectors and tasks share: the version they report, the Kafka release they follow.</summary>
internal static class FileStreamConnectors
{
    public const string Version = "3.9.0";
}
