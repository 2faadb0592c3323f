using System.Buffers.Binary;
using System.IO.Pipelines;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Primitives;

namespace Tributary.Gateway.Protocol.Framing;

/// <summary>
/// Writes one response frame straight into a connection's pipe: the size is reserved first and filled in once the
/// header and body are written, so the body (record batches included) is copied once, into the pipe. Relies on the
/// pipe keeping written memory in place until it is flushed, as <see cref="Pipe"/> does.
/// </summary>
public static class ResponseFramer
{
    public static void Write(PipeWriter output, int correlationId, short headerVersion, IKafkaMessage body, short version)
    {
        var size = output.GetMemory(4)[..4];
        output.Advance(4);
        var writer = new KafkaWriter(output);
        new ResponseHeader { CorrelationId = correlationId }.Write(ref writer, headerVersion);
        body.Write(ref writer, version);
        BinaryPrimitives.WriteInt32BigEndian(size.Span, checked((int)writer.Written));
    }
}
