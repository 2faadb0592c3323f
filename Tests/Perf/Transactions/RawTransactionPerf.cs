using System.Buffers.Binary;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Transactions;

/// <summary>
/// Transactional producers that speak the protocol themselves, each transaction as the Java producer sends it:
/// AddPartitionsToTxn for every partition it writes, one produce request with a transactional batch per partition once
/// they are added, then EndTxn once the batches are acknowledged; the next transaction begins after the commit. librdkafka
/// spends several thread hand-offs and timers of its own per transaction, which on this machine share the cores with the
/// broker; these producers spend almost nothing, so their throughput beside <see cref="RawProducePerf"/>'s plain one is
/// the broker's own cost of transactions.
/// </summary>
internal static class RawTransactionPerf
{
    /// <summary>Records per second over all producers.</summary>
    public static double Run(int port, string topic, int partitions, int producers, long recordsPerProducer, int recordSize, int transactionRecords)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var transactions = recordsPerProducer / transactionRecords;
        var seconds = RawProducePerf.RunProducers(producers,
            p => Produce(port, topic, partitions, $"raw-txn-{id}-{p}", transactions, recordSize, transactionRecords), "transactional calls");
        return producers * transactions * transactionRecords / seconds;
    }

    /// <summary>Commits the transactions and returns how many calls failed.</summary>
    private static long Produce(int port, string topic, int partitions, string transactionalId, long transactions, int recordSize, int transactionRecords)
    {
        using var client = new RawKafkaClient(port);
        var init = client.Call<InitProducerIdResponse>(ApiKey.InitProducerId, 4,
            new InitProducerIdRequest { TransactionalId = transactionalId, TransactionTimeoutMs = 60_000, ProducerId = -1, ProducerEpoch = -1 });
        if (init.ErrorCode != 0)
        {
            throw new InvalidOperationException($"InitProducerId failed with error {init.ErrorCode}.");
        }

        var (producerId, epoch) = (init.ProducerId, init.ProducerEpoch);

        // A transaction's records are spread over the partitions as a round-robin partitioner would.
        var perPartition = Enumerable.Range(0, partitions).Select(p => transactionRecords / partitions + (p < transactionRecords % partitions ? 1 : 0)).ToArray();
        var value = new byte[recordSize];
        var templates = perPartition.Select(count =>
        {
            var builder = new RecordBatchBuilder { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = 0, IsTransactional = true };
            for (var i = 0; i < count; i++)
            {
                builder.Append(1_700_000_000_000 + i, null, value);
            }

            return count == 0 ? null : builder.Build();
        }).ToArray();
        var written = Enumerable.Range(0, partitions).Where(p => templates[p] is not null).ToList();

        long failed = 0;
        var sequences = new int[partitions];
        for (var t = 0; t < transactions; t++)
        {
            var added = client.Call<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, new AddPartitionsToTxnRequest
            {
                V3AndBelowTransactionalId = transactionalId,
                V3AndBelowProducerId = producerId,
                V3AndBelowProducerEpoch = epoch,
                V3AndBelowTopics = [new() { Name = topic, Partitions = written }],
            });
            failed += added.ResultsByTopicV3AndBelow.Sum(r => r.ResultsByPartition.Count(p => p.PartitionErrorCode != 0));

            var produced = client.Call<ProduceResponse>(ApiKey.Produce, 9, new ProduceRequest
            {
                TransactionalId = transactionalId,
                Acks = -1,
                TimeoutMs = 30_000,
                TopicData = [new()
                {
                    Name = topic,
                    PartitionData = written.Select(p => new ProduceRequest.PartitionProduceData { Index = p, Records = RawProducePerf.NextBatch(templates[p]!, sequences[p]) }).ToList(),
                }],
            });
            failed += produced.Responses.Sum(r => r.PartitionResponses.Count(p => p.ErrorCode != 0));
            foreach (var p in written)
            {
                sequences[p] += perPartition[p];
            }

            var ended = client.Call<EndTxnResponse>(ApiKey.EndTxn, 3,
                new EndTxnRequest { TransactionalId = transactionalId, ProducerId = producerId, ProducerEpoch = epoch, Committed = true });
            failed += ended.ErrorCode != 0 ? 1 : 0;
        }

        return failed;
    }
}
