using System.Text;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.KafkaFormats.Records;

public sealed class RecordReaderTests
{
    [Fact]
    public void Records_AreReadWithKeysValuesNullsAndHeaders()
    {
        var batch = new RecordBatchBuilder()
            .Append(100, "a"u8.ToArray(), "one"u8.ToArray(), [new("h1", "x"u8.ToArray()), new("h2", null)])
            .Append(105, null, null)
            .Append(99, [], [])
            .Build();

        using var view = RecordsView.Open(batch);
        var reader = view.GetReader();

        Assert.Equal(RecordReadStatus.Record, reader.Next(out var first));
        Assert.Equal(("a", "one", 0, 0L, 2), (Encoding.UTF8.GetString(first.Key), Encoding.UTF8.GetString(first.Value), first.OffsetDelta, first.TimestampDelta, first.HeaderCount));
        var headers = new RecordHeaderReader(first.Headers);
        Assert.True(headers.TryRead(out var key, out var value, out var hasValue));
        Assert.Equal(("h1", "x", true), (Encoding.UTF8.GetString(key), Encoding.UTF8.GetString(value), hasValue));
        Assert.True(headers.TryRead(out key, out _, out hasValue));
        Assert.Equal(("h2", false), (Encoding.UTF8.GetString(key), hasValue));
        Assert.False(headers.TryRead(out _, out _, out _));

        Assert.Equal(RecordReadStatus.Record, reader.Next(out var second));
        Assert.Equal((false, false, 1, 5L), (second.HasKey, second.HasValue, second.OffsetDelta, second.TimestampDelta));
        Assert.Equal(RecordReadStatus.Record, reader.Next(out var third));
        Assert.Equal((true, true, 0, 0, -1L), (third.HasKey, third.HasValue, third.Key.Length, third.Value.Length, third.TimestampDelta));
        Assert.Equal(RecordReadStatus.End, reader.Next(out _));
    }

    [Fact]
    public void EveryTruncatedPrefix_ReadsTheWholeRecordsBeforeIt_ThenStopsAsMalformed()
    {
        var batch = Batches.Make(6);
        var section = RecordBatch.RecordsSection(batch).ToArray();
        var boundaries = RecordBoundaries(section);

        for (var length = 0; length < section.Length; length++)
        {
            var reader = new RecordReader(section.AsSpan(0, length));
            var whole = boundaries.Count(b => b <= length) - 1;
            for (var i = 0; i < whole; i++)
            {
                Assert.Equal(RecordReadStatus.Record, reader.Next(out var record));
                Assert.Equal(i, record.OffsetDelta);
            }

            var expectEnd = boundaries.Contains(length);
            Assert.Equal(expectEnd ? RecordReadStatus.End : RecordReadStatus.Malformed, reader.Next(out _));
        }
    }

    [Fact]
    public void ARecordWhoseFieldsOverrunItsLength_IsMalformed()
    {
        // length 3, attributes, timestamp delta 0, offset delta 0, key length 5 (runs past the record)
        byte[] section = [0x06, 0x00, 0x00, 0x0A];

        Assert.Equal(RecordReadStatus.Malformed, new RecordReader(section).Next(out _));
    }

    private static List<int> RecordBoundaries(byte[] section)
    {
        var boundaries = new List<int> { 0 };
        var reader = new RecordReader(section);
        while (reader.Next(out _) == RecordReadStatus.Record)
        {
            boundaries.Add(section.Length - reader.RemainingBytes);
        }

        return boundaries;
    }
}
