namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Who wrote an append: only the platform itself may write control batches (transaction markers), and batches
/// replayed from the log while it opens are taken without the producer checks they passed when first written.
/// </summary>
public enum AppendOrigin
{
    Client,
    Coordinator,
    Recovery,
}
