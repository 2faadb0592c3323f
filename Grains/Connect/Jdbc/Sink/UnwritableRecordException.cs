using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// A record the sink cannot write, with no errant record reporter to take it: it fails the task rather than being
/// retried, since redelivering the same record cannot help. Its message is the cause's own when that is the sink's
/// (Confluent's wording), so the task's trace reads as Confluent's would.
/// </summary>
public sealed class UnwritableRecordException(string message, Exception? inner) : ConnectException(message, inner!)
{
}
