using System.Text;
using Tributary.Gateway.Protocol.Records;

namespace Tributary.Tests.Grains.Support;

public static class TestBatches
{
    public static byte[] Make(int count, int first = 0, long timestamp = 1_700_000_000_000) =>
        Enumerable.Range(first, count)
            .Aggregate(new RecordBatchBuilder(), (b, i) => b.Append(timestamp + i, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes($"v{i}")))
            .Build();

    /// <summary>(offset, value) of every record in stored batches.</summary>
    public static List<(long Offset, string Value)> Decode(ReadOnlyMemory<byte> batches)
    {
        var records = new List<(long, string)>();
        var span = batches.Span;
        while (span.Length >= RecordBatch.LogOverhead)
        {
            var size = RecordBatch.TotalSize(span);
            var batch = span[..size];
            var baseOffset = RecordBatch.BaseOffset(batch);
            using var view = RecordsView.Open(batch);
            var reader = view.GetReader();
            while (reader.Next(out var record) == RecordReadStatus.Record)
            {
                records.Add((baseOffset + record.OffsetDelta, Encoding.UTF8.GetString(record.Value)));
            }

            span = span[size..];
        }

        return records;
    }
}
