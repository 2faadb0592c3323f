using System.Buffers;
using Orleans;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Tributary.Grains.KafkaFormats.Buffers;

/// <summary>
/// Orleans' codec of <see cref="PooledBytes"/>, on the wire as Orleans writes a byte array (length-prefixed). Writing
/// gives the sender's pooled array back: Orleans serializes a message once, into the connection's buffer, and an
/// answer that fails to go is not written again. Reading rents a pooled array for the bytes, which the receiver
/// releases after use (or leaves to the garbage collector).
/// </summary>
[RegisterSerializer]
public sealed class PooledBytesCodec : IFieldCodec<PooledBytes>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, PooledBytes value)
        where TBufferWriter : IBufferWriter<byte>
    {
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(PooledBytes), WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)value.Length);
        writer.Write(value.Span);
        PooledBuffer.Release(value.Memory);
    }

    public PooledBytes ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        ReferenceCodec.MarkValueField(reader.Session);
        field.EnsureWireType(WireType.LengthPrefixed);
        var length = (int)reader.ReadVarUInt32();
        if (length == 0)
        {
            return PooledBytes.Empty;
        }

        var buffer = PooledBuffer.Rent(length);
        reader.ReadBytes(buffer.WritableSpan);
        return new PooledBytes(buffer.Memory);
    }
}

/// <summary>Within a silo <see cref="PooledBytes"/> is passed as it is: it is immutable, and its receiver releases it.</summary>
[RegisterCopier]
public sealed class PooledBytesCopier : IDeepCopier<PooledBytes>
{
    public PooledBytes DeepCopy(PooledBytes input, CopyContext context) => input;
}
