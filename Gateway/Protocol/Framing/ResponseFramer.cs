using System.Buffers;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Gateway.Protocol.Framing;

/// <summary>
/// Writes one response frame straight into a connection's output: the frame's size is computed from the header and
/// the body first (<see cref="IKafkaApiMessage.Size"/>), so the length prefix is written before anything else and no
/// byte is touched after it is advanced past, as <see cref="System.IO.Pipelines.PipeWriter"/> requires (advanced memory
/// may be handed on at once). The body, record batches included, is copied once: into the output.
/// </summary>
public static class ResponseFramer
{
    /// <summary>Writes the frame; its size on the wire, length prefix included.</summary>
    public static int Write(IBufferWriter<byte> output, int correlationId, short headerVersion, IKafkaApiMessage body, short version)
    {
        var header = new ResponseHeader { CorrelationId = correlationId };
        var size = header.Size(headerVersion) + body.Size(version);
        var writer = new KafkaWriter(output);
        writer.WriteInt32(size);
        header.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
        if (writer.Written != 4 + (long)size)
        {
            // A size that disagrees with the writer would desynchronise the client's framing: never send on.
            throw new InvalidOperationException($"{body.GetType().Name} v{version} wrote {writer.Written - 4} bytes but its size was {size}.");
        }

        return 4 + size;
    }
}
