using System.Text;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Storage.Producers;

/// <summary>Batches as idempotent and transactional producers send them, and the markers a coordinator writes.</summary>
internal static class ProducerBatches
{
    public static byte[] Make(long producerId, short epoch, int baseSequence, int count = 2, bool transactional = false, string prefix = "v")
    {
        var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence, IsTransactional = transactional };
        for (var i = 0; i < count; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, Encoding.UTF8.GetBytes($"{prefix}{baseSequence + i}"));
        }

        return builder.Build();
    }

    public static byte[] Marker(long producerId, short epoch, bool commit, int coordinatorEpoch = 0) =>
        new TransactionMarker(commit, coordinatorEpoch).Build(producerId, epoch, 1_700_000_000_000);
}
