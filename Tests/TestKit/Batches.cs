using System.Text;
using Tributary.Grains.KafkaFormats.Records;
using Xunit;

namespace Tributary.Tests.TestKit;

/// <summary>A record as a consumer sees it, decoded from stored batches.</summary>
public sealed record DecodedRecord(long Offset, long Timestamp, string? Key, string? Value, string Headers);

/// <summary>Builds producer batches and decodes stored ones.</summary>
public static class Batches
{
    /// <summary>
    /// A batch of <paramref name="count"/> records: key "k{i}", value "v{i}" padded with dots to <paramref name="valueSize"/>,
    /// timestamp <paramref name="timestamp"/> + (i - first) * <paramref name="timestampStep"/>, for i from <paramref name="first"/>;
    /// every third record carries a header h=x{n}.
    /// </summary>
    public static byte[] Make(
        int count,
        long timestamp = 1_700_000_000_000,
        int valueSize = 0,
        CompressionType compression = CompressionType.None,
        int first = 0,
        long timestampStep = 1)
    {
        var builder = new RecordBatchBuilder { Compression = compression };
        for (var i = 0; i < count; i++)
        {
            var value = $"v{first + i}".PadRight(valueSize, '.');
            var headers = i % 3 == 0
                ? new[] { new KeyValuePair<string, byte[]?>("h", Encoding.UTF8.GetBytes($"x{i}")) }
                : null;
            builder.Append(timestamp + i * timestampStep, Encoding.UTF8.GetBytes($"k{first + i}"), Encoding.UTF8.GetBytes(value), headers);
        }

        return builder.Build();
    }

    public static List<DecodedRecord> Decode(ReadOnlyMemory<byte> batches)
    {
        var records = new List<DecodedRecord>();
        var span = batches.Span;
        while (span.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(span);
            var batch = span[..size];
            Assert.True(RecordBatch.IsCrcValid(batch), "a stored batch must carry a valid CRC");
            var baseOffset = RecordBatch.BaseOffset(batch);
            var baseTimestamp = RecordBatch.BaseTimestamp(batch);
            var logAppendTime = RecordBatch.TimestampType(batch) == TimestampType.LogAppendTime;
            using var view = RecordsView.Open(batch);
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                var headers = new StringBuilder();
                var headerReader = new RecordHeaderReader(record.Headers);
                while (headerReader.TryRead(out var key, out var value, out _))
                {
                    headers.Append(Encoding.UTF8.GetString(key)).Append('=').Append(Encoding.UTF8.GetString(value)).Append(';');
                }

                records.Add(new DecodedRecord(
                    baseOffset + record.OffsetDelta,
                    logAppendTime ? RecordBatch.MaxTimestamp(batch) : baseTimestamp + record.TimestampDelta,
                    record.HasKey ? Encoding.UTF8.GetString(record.Key) : null,
                    record.HasValue ? Encoding.UTF8.GetString(record.Value) : null,
                    headers.ToString()));
            }

            span = span[size..];
        }

        Assert.True(span.IsEmpty, "a read returns whole batches only");
        return records;
    }
}
