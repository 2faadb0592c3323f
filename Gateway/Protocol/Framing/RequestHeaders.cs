using System.Buffers.Binary;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Protocol.Framing;

/// <summary>Which header versions go with an API version, and the fields every header version has in the same place.</summary>
public static class RequestHeaders
{
    /// <summary>Bytes of api key, api version and correlation id, the same in every request header version.</summary>
    public const int FixedPrefix = 8;

    public static ApiKey ApiKeyOf(ReadOnlySpan<byte> frame) => (ApiKey)BinaryPrimitives.ReadInt16BigEndian(frame);

    public static short ApiVersionOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt16BigEndian(frame[2..]);

    public static int CorrelationIdOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32BigEndian(frame[4..]);

    /// <summary>Request header v2 (tagged fields) for flexible API versions, else v1.</summary>
    public static short RequestHeaderVersion(ApiKey key, short version) =>
        version >= ApiMessages.Versions(key).FlexibleSince ? (short)2 : (short)1;

    /// <summary>Response header v1 for flexible API versions, else v0; ApiVersions always answers with v0 (KIP-511).</summary>
    public static short ResponseHeaderVersion(ApiKey key, short version) =>
        key != ApiKey.ApiVersions && version >= ApiMessages.Versions(key).FlexibleSince ? (short)1 : (short)0;
}
