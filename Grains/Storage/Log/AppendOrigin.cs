namespace Tributary.Grains.Storage.Log;

/// <summary>Who wrote an append: only the platform itself may write control batches (transaction markers).</summary>
public enum AppendOrigin
{
    Client,
    Coordinator,
}
