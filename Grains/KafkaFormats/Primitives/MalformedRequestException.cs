namespace Tributary.Grains.KafkaFormats.Primitives;

/// <summary>
/// The bytes are not a valid message: a length that runs past the frame, a negative count, an invalid varint. The
/// connection that sent them is closed; nothing else is affected.
/// </summary>
public sealed class MalformedRequestException(string message) : Exception(message)
{
    public static MalformedRequestException Truncated(int needed, int remaining) =>
        new($"Message truncated: needed {needed} more bytes, {remaining} left.");
}
