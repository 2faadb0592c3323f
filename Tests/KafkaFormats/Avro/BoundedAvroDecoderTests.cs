using Avro;
using Avro.Generic;
using Avro.IO;
using Tributary.Grains.KafkaFormats.Avro;

namespace Tributary.Tests.KafkaFormats.Avro;

/// <summary>
/// Avro data is read as Apache.Avro reads it, but a length or count the data claims cannot make the reader allocate
/// more than the data can hold: what a writer produced is read whole, a few bytes claiming gigabytes are refused.
/// </summary>
public sealed class BoundedAvroDecoderTests
{
    private static readonly Schema Everything = Schema.Parse("""
        {"type":"record","name":"Everything","fields":[
          {"name":"text","type":"string"},
          {"name":"blob","type":"bytes"},
          {"name":"numbers","type":{"type":"array","items":"long"}},
          {"name":"names","type":{"type":"map","values":"string"}},
          {"name":"nothing","type":{"type":"array","items":"null"}}]}
        """);

    private static readonly Schema Nulls = Schema.Parse("""{"type":"array","items":"null"}""");

    [Fact]
    public void WhatAWriterProduced_IsReadWhole()
    {
        var record = new GenericRecord((RecordSchema)Everything);
        record.Add("text", new string('é', 5_000));
        record.Add("blob", Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray());
        record.Add("numbers", Enumerable.Range(0, 20_000).Select(i => (long)i * 1_000_003).ToArray());
        record.Add("names", Enumerable.Range(0, 300).ToDictionary(i => $"k{i}", i => (object)$"v{i}"));
        record.Add("nothing", new object?[9_000]);

        var read = (GenericRecord)Read(Everything, Write(Everything, record))!;

        Assert.Equal(record["text"], read["text"]);
        Assert.Equal((byte[])record["blob"], (byte[])read["blob"]);
        Assert.Equal((long[])record["numbers"], ((object[])read["numbers"]).Cast<long>());
        Assert.Equal(300, ((IDictionary<string, object>)read["names"]).Count);
        Assert.Equal("v299", ((IDictionary<string, object>)read["names"])["k299"]);
        Assert.Equal(9_000, ((object[])read["nothing"]).Length);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("bytes")]
    public void ALengthLongerThanTheDataLeft_IsRefused(string type)
    {
        // A length of two gigabytes, then three bytes.
        var data = Concat(ZigZag(int.MaxValue - 8), [1, 2, 3]);
        var e = Assert.Throws<AvroException>(() => Read(Schema.Parse($"\"{type}\""), data));
        Assert.Equal($"A length of {int.MaxValue - 8} bytes where 3 are left.", e.Message);
    }

    [Fact]
    public void ANegativeLength_IsRefused() =>
        Assert.Throws<AvroException>(() => Read(Schema.Parse("\"bytes\""), ZigZag(-5)));

    [Fact]
    public void ItemsThatTakeNoByte_AreAllowedUpToTheAllowance_AndRefusedPastIt()
    {
        var within = Write(Nulls, new object?[AvroItemBudget.EmptyItemAllowance]);
        Assert.Equal((int)AvroItemBudget.EmptyItemAllowance, ((object[])Read(Nulls, within)!).Length);

        // Each byte of the data pays for one item: a datum of n bytes may hold the allowance and n more.
        var past = Concat(ZigZag(AvroItemBudget.EmptyItemAllowance + 100), [0]);
        var e = Assert.Throws<AvroException>(() => Read(Nulls, past));
        Assert.StartsWith($"An array or map claims {AvroItemBudget.EmptyItemAllowance + 100} more items", e.Message, StringComparison.Ordinal);
        Assert.Throws<AvroException>(() => Read(Nulls, Concat(ZigZag(100_000_000), [0])));
    }

    [Fact]
    public void ABudgetSharedByTheRecordsOfAPoll_BoundsThemTogether()
    {
        var budget = new AvroItemBudget();
        var half = Write(Nulls, new object?[AvroItemBudget.EmptyItemAllowance / 2 + 10]);
        Assert.NotNull(Read(Nulls, half, budget));
        Assert.Throws<AvroException>(() => Read(Nulls, half, budget));
    }

    private static byte[] Write(Schema schema, object? datum)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<object?>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private static object? Read(Schema schema, byte[] data, AvroItemBudget? budget = null)
    {
        using var stream = new MemoryStream(data, writable: false);
        budget?.AddInput(data.Length);
        return new GenericDatumReader<object?>(schema, schema).Read(null, new BoundedAvroDecoder(stream, budget));
    }

    private static byte[] ZigZag(long value)
    {
        var bytes = new List<byte>();
        for (var zigzag = (ulong)((value << 1) ^ (value >> 63)); ; zigzag >>= 7)
        {
            bytes.Add((byte)(zigzag < 0x80 ? zigzag : (zigzag & 0x7F) | 0x80));
            if (zigzag < 0x80)
            {
                return [.. bytes];
            }
        }
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, .. second];
}
