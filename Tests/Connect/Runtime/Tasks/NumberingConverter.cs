using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>
/// Reads a value as its text with the number of this converter's reads so far appended ("b#2"), so that a record
/// converted twice shows it in its value.
/// </summary>
public sealed class NumberingConverter : IConverter
{
    private int _reads;

    public ConfigDef Config { get; } = new();

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey)
    {
    }

    public byte[]? FromConnectData(string topic, Schema? schema, object? value) => value is null ? null : Encoding.UTF8.GetBytes(value.ToString()!);

    public SchemaAndValue ToConnectData(string topic, byte[]? value) =>
        value is null ? new SchemaAndValue(Schema.OptionalString, null) : new SchemaAndValue(Schema.OptionalString, $"{Encoding.UTF8.GetString(value)}#{++_reads}");
}
