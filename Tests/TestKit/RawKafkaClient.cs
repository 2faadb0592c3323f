using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Primitives;
using Xunit;

namespace Tributary.Tests.TestKit;

/// <summary>
/// A bare Kafka connection built on the broker's own codec: sends exactly the bytes a test wants (requests of any
/// version, pipelined requests, garbage) and reads responses, for what a full client would never send.
/// </summary>
public sealed class RawKafkaClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _clientId;
    private int _correlationId;

    /// <param name="port">The broker's Kafka port on localhost.</param>
    /// <param name="clientId">The client id every request carries (what client quotas count).</param>
    public RawKafkaClient(int port, string clientId = "raw-test")
    {
        _clientId = clientId;
        _tcp = new TcpClient("localhost", port) { NoDelay = true };
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 30_000;
    }

    public static byte[] Frame(ApiKey key, short version, int correlationId, IKafkaMessage body) =>
        Frame(key, version, correlationId, body, "raw-test");

    public static byte[] Frame(ApiKey key, short version, int correlationId, IKafkaMessage body, string clientId)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteInt32(0);
        new RequestHeader { RequestApiKey = (short)key, RequestApiVersion = version, CorrelationId = correlationId, ClientId = clientId }
            .Write(ref writer, RequestHeaders.RequestHeaderVersion(key, version));
        body.Write(ref writer, version);
        var frame = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
        return frame;
    }

    /// <summary>How long a read waits for the broker before it fails. Default 30 s.</summary>
    public TimeSpan ReadTimeout
    {
        get => TimeSpan.FromMilliseconds(_stream.ReadTimeout);
        set => _stream.ReadTimeout = (int)value.TotalMilliseconds;
    }

    public void SendRaw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    public int Send(ApiKey key, short version, IKafkaMessage body)
    {
        var correlationId = ++_correlationId;
        SendRaw(Frame(key, version, correlationId, body, _clientId));
        return correlationId;
    }

    /// <summary>Reads one response frame: its correlation id and body.</summary>
    public (int CorrelationId, T Body) Receive<T>(ApiKey key, short version, short? headerVersion = null)
        where T : IKafkaMessage, new()
    {
        var size = new byte[4];
        _stream.ReadExactly(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        _stream.ReadExactly(frame);
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, headerVersion ?? RequestHeaders.ResponseHeaderVersion(key, version));
        var body = new T();
        body.Read(ref reader, version);
        return (header.CorrelationId, body);
    }

    /// <summary>
    /// Reads one response frame of any API, decoded as <paramref name="key"/>'s response of <paramref name="version"/>:
    /// its correlation id, its body and the bytes the body left unread (none in a well-formed response).
    /// </summary>
    public (int CorrelationId, IKafkaMessage Body, int Unread) Receive(ApiKey key, short version)
    {
        var size = new byte[4];
        _stream.ReadExactly(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        _stream.ReadExactly(frame);
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, RequestHeaders.ResponseHeaderVersion(key, version));
        var body = ApiMessages.CreateResponse(key);
        body.Read(ref reader, version);
        return (header.CorrelationId, body, reader.Remaining);
    }

    /// <summary>Reads one response frame as it came (correlation id first), without decoding it.</summary>
    public byte[] ReceiveFrame()
    {
        var size = new byte[4];
        _stream.ReadExactly(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        _stream.ReadExactly(frame);
        return frame;
    }

    public T Call<T>(ApiKey key, short version, IKafkaMessage request)
        where T : IKafkaMessage, new()
    {
        var id = Send(key, version, request);
        var (correlationId, body) = Receive<T>(key, version);
        Assert.Equal(id, correlationId);
        return body;
    }

    /// <summary>
    /// True when the broker closes the connection within a few seconds (a read returns end of stream or a reset);
    /// false when the connection stays open.
    /// </summary>
    public bool IsClosedByBroker()
    {
        _stream.ReadTimeout = 5_000;
        try
        {
            return _stream.Read(new byte[1]) == 0;
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _tcp.Dispose();
}
