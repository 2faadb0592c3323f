using System.Text;
using Tributary.Grains.Connect.Converters.Json;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>Builds configured JSON converters and turns bytes into text for the tests.</summary>
internal static class JsonConverterFixture
{
    public const string Topic = "topic";

    public static JsonConverter Converter(params (string Key, string Value)[] configs)
    {
        var converter = new JsonConverter();
        converter.Configure(configs.ToDictionary(c => c.Key, c => c.Value), isKey: false);
        return converter;
    }

    public static JsonConverter Schemaless() => Converter(("schemas.enable", "false"));

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    public static string AsText(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);
}
