using Tributary.Tests.TestKit;
using Confluent.Kafka;
using Tributary.Tests.Perf;
using Tributary.Tests.Perf.Cluster;
using Tributary.Tests.Perf.Connect;
using Tributary.Tests.Perf.Groups;
using Tributary.Tests.Perf.Registry;
using Tributary.Tests.Perf.RestProxy;
using Tributary.Tests.Perf.Transactions;

// The load and measurement tool. Commands:
//   suite [--records-small N] [--records-large N] [--partitions N]
//       everything below in one run, starting the real broker process, with loopback and mock-broker baselines
//   producer-perf --bootstrap HOST:PORT --topic T [--records N] [--record-size B] [--acks -1|0|1] [--linger-ms MS] [--compression none|gzip|snappy|lz4|zstd]
//                 [--client k=v,...]   librdkafka settings, such as security.protocol=SASL_SSL,sasl.mechanism=PLAIN,...
//   consumer-perf --bootstrap HOST:PORT --topic T [--partitions N] [--records N] [--client k=v,...]
//   loopback
//   idle-partitions [--partitions N]   memory a broker keeps per partition once its partitions are idle
//   restart-perf [--sizes 1,4,16] [--partitions 10,1000] [--shutdown-partitions 1000,10000] [--dir DIR]
//       restart after kill -9 against data size (port answers, all partitions serve) and SIGTERM against open partitions
//   group-perf --bootstrap HOST:PORT [--members N] [--rounds N] [--heartbeat-interval-ms MS] [--connections N] [--in-flight N] [--seconds S]
//       rebalance time when a member joins a group, and heartbeats per second one group sustains
//   txn-perf --bootstrap HOST:PORT [--producers N] [--records N] [--record-size B] [--transaction-records N] [--partitions N]
//            [--rounds N] [--transactional-records N] [--transactional-producers N,M] [--raw-records N] [--raw-batch-bytes B]
//            [--parts idempotence,raw,transactions,raw-transactions]
//       plain acks=all, idempotent and transactional producers writing the same records in one run; "raw" parts use
//       producers that speak the protocol as the Java client sends
//   registry-perf --registry http://HOST:PORT [--connections N] [--seconds S] [--schemas N] [--registrations N] [--register-concurrency 1,8] [--subject-versions 0,200,2000]
//       GET /schemas/ids/{id} from N connections beside a bare Kestrel process answering the same bytes; registration rate
//   rest-perf --rest http://HOST:PORT --bootstrap HOST:PORT [--records N] [--record-size B] [--batch N] [--streams N]
//       1 KiB JSON records: native produce, REST v2 produce in batches and v3 streaming produce in one run; v2 consume
//   connect-perf [--records 1000000,200000] [--record-size 100,1024] [--partitions 1] [--offset-flush-interval-ms 1000]
//       Kafka Connect on a silo started here: FileStreamSource (file lines -> topic) against producer-perf writing the
//       same records, FileStreamSink (topic -> file) against consumer-perf reading the same topic; ratios, broker CPU-s
//   jdbc-perf [--rows 200000] [--batch-max-rows 100] [--sink-batch-size 3000] [--max-poll-records 500] [--npgsql-batch 500]
//             [--converter json|avro] [--offset-flush-interval-ms 60000] [--parts source,sink] [--rounds 1]
//       JDBC connectors on a silo and a PostgreSQL started here: JdbcSourceConnector (incrementing) copying a table into a
//       topic against Npgsql SELECT * of the same rows; JdbcSinkConnector upserting a topic's JSON records against Npgsql
//       binary COPY and batched INSERT ... ON CONFLICT of the same rows; ratios, CPU-s of silo, postgres and client;
//       with --rounds N each part runs N times in turn and each ratio's median is given
//   storage-perf [--records 1000000] [--partitions 2] [--flush-size 100000] [--rounds 1]
//       the storage sink on a silo started here: an Avro topic into Parquet files against Parquet.Net writing the same
//       rows from memory (alternating, --rounds times; the median round's ratio), and into JSON-lines files against
//       consumer-perf reading the same topic; ratios, silo CPU-s with its JIT and GC-pause seconds
//   streams-perf [--lines 200000] [--partitions 4] [--threads 2]
//       Tributary.Streams on a silo started here: word count (at_least_once, exactly_once_v2) and a windowed count
//       against the same word count written by hand with Confluent.Kafka; lines/s and ratios, CPU-s of both processes
//   streams-wordcount --bootstrap HOST:PORT [--application-id A] [--input T] [--output T] [--guarantee at_least_once|exactly_once_v2]
//                     [--threads 2] [--commit-interval-ms 100] [--cache-max-bytes 10485760]
//       the word count as a process of its own (for kill -9 tests): prints RUNNING once it runs, closes when stdin closes
//   cluster-perf [--records N] [--record-size B] [--partitions N]
//       acks=all produce to one silo and to a 3-silo Redis cluster started here (ratio, CPU per process); kill -9 of a silo
//   balance-perf [--gigabytes 10] [--partitions 24] [--record-size 16384] [--interval HH:MM:SS]
//       a 3-silo Redis cluster holding N GB at RF=3; a 4th silo starts: time until the cluster's own balancing gave it
//       its share (replicas, leaders, in sync), bytes moved and their rate against raw disk writes
//   replication-check [--rounds N] [--partitions N]
//       Jepsen-style: idempotent acks=all producer and read_committed group on RF=3 while brokers are killed, paused and
//       restarted empty, round after round; every acknowledged record read back once, in order (exit code 1 if not)
//   acl-perf [--acls 10000] [--records 300000] [--record-size 1024] [--rounds 5]
//   quota-perf [--rate 1000000] [--seconds 40] [--windows 11]: a producer and a consumer held to their byte-rate quotas
//       a silo started here with Kafka's authorizer and N ACLs: producer-perf over SASL_PLAINTEXT as a user whose WRITE
//       one prefixed ACL among them allows, against a super user, rounds alternating; medians and their ratio
//   metrics-perf [--records 300000] [--record-size 1024] [--partitions 4] [--rounds 5] [--scrape-ms 5000]
//                [--traced true [--sampler parentbased_always_on] [--sampler-arg 0.01]]
//       two silos started here, metrics on (scraped by a real Prometheus; with --traced also exporting traces, metrics
//       and logs over OTLP to a sink here, requests sampled as OTEL_TRACES_SAMPLER says, the silo's default if not
//       given) and off: producer-perf and
//       consumer-perf against each, rounds alternating; median MB/s, ratios on/off, silo CPU-s per GB
//   broker-capacity [--seconds 8] [--connections 4] [--in-flight 8] [--batch-bytes 65536] [--record-sizes 100,1024]
//                   [--partitions 1,16] [--acks 1,all] [--rf 1,3]
//       the broker's own produce and fetch capacity with raw clients (pre-built requests, several connections,
//       responses counted, not decoded record by record, each partition's to its leader) against a silo started here
//       (RF=1) or three joined through Redis (RF=3); MB/s, x loopback TCP measured in the same run, silos' CPU-s per GB
//   http-baseline --port P [--bytes B]   (started by registry-perf) Kestrel answering every GET with B bytes
var command = args.FirstOrDefault();
var arguments = Arguments.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "suite":
        return await Suite.RunAsync(arguments);
    case "producer-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var figures = ProducerPerf.Run(
            arguments.String("bootstrap", "localhost:9092"),
            arguments.String("topic", "perf"),
            arguments.Int("records", 1_000_000),
            arguments.Int("record-size", 100),
            (Acks)arguments.Int("acks", 1),
            arguments.Int("linger-ms", 5),
            Enum.Parse<CompressionType>(arguments.String("compression", "none"), ignoreCase: true),
            arguments.Client());
        Console.WriteLine($"{figures.Records} records in {figures.Seconds:F2} s: {figures.RecordsPerSecond:F0} records/s, {figures.MegabytesPerSecond:F1} MB/s; " +
            $"latency p50 {figures.P50 / 1000:F2} ms, p99 {figures.P99 / 1000:F2} ms, p99.9 {figures.P999 / 1000:F2} ms");
        return 0;
    }

    case "consumer-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var (records, bytes, seconds) = ConsumerPerf.Run(
            arguments.String("bootstrap", "localhost:9092"),
            arguments.String("topic", "perf"),
            arguments.Int("partitions", 1),
            arguments.Int("records", 1_000_000),
            arguments.Client());
        Console.WriteLine($"{records} records, {bytes / 1e6:F1} MB in {seconds:F2} s: {records / seconds:F0} records/s, {bytes / 1e6 / seconds:F1} MB/s");
        return 0;
    }

    case "group-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await GroupPerf.RunAsync(arguments.String("bootstrap", "localhost:9092"), arguments))
        {
            Console.WriteLine($"{what}: {value} {against}");
        }

        return 0;
    }

    case "txn-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await TransactionPerf.RunAsync(arguments.String("bootstrap", "localhost:9092"), arguments))
        {
            Console.WriteLine($"{what}: {value} {against}");
        }

        return 0;
    }

    case "registry-perf":
    {
        foreach (var (what, value, against) in await RegistryPerf.RunAsync(arguments.String("registry", "http://localhost:8081"), arguments))
        {
            Console.WriteLine($"{what}: {value} {against}");
        }

        return 0;
    }

    case "rest-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await RestPerf.RunAsync(arguments.String("rest", "http://localhost:8082"), arguments.String("bootstrap", "localhost:9092"), arguments))
        {
            Console.WriteLine($"{what}: {value} {against}");
        }

        return 0;
    }

    case "replication-check":
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        return await ReplicationCheck.RunAsync(arguments);

    case "cluster-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await ClusterPerf.RunAsync(arguments))
        {
            Console.WriteLine($"{what}: {value} {against}");
        }

        return 0;
    }

    case "connect-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await ConnectPerf.RunAsync(arguments))
        {
            Console.WriteLine($"{what}: {value} ({against})");
        }

        return 0;
    }

    case "jdbc-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var figures = await JdbcPerf.RunAsync(arguments);
        var width = figures.Max(f => f.What.Length);
        var valueWidth = figures.Max(f => f.Value.Length);
        foreach (var (what, value, against) in figures)
        {
            Console.WriteLine($"{what.PadRight(width)}  {value.PadRight(valueWidth)}  {against}");
        }

        return 0;
    }

    case "storage-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var figures = await StoragePerf.RunAsync(arguments);
        var width = figures.Max(f => f.What.Length);
        var valueWidth = figures.Max(f => f.Value.Length);
        foreach (var (what, value, against) in figures)
        {
            Console.WriteLine($"{what.PadRight(width)}  {value.PadRight(valueWidth)}  {against}");
        }

        return 0;
    }

    case "streams-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        var figures = await Tributary.Tests.Perf.Streams.StreamsPerf.RunAsync(arguments);
        var width = figures.Max(f => f.What.Length);
        var valueWidth = figures.Max(f => f.Value.Length);
        foreach (var (what, value, against) in figures)
        {
            Console.WriteLine($"{what.PadRight(width)}  {value.PadRight(valueWidth)}  {against}");
        }

        return 0;
    }

    case "streams-wordcount":
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        return await Tributary.Tests.Perf.Streams.StreamsWordCountApp.RunAsync(arguments);

    case "balance-perf":
    {
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        foreach (var (what, value, against) in await BalancePerf.RunAsync(arguments))
        {
            Console.WriteLine($"{what}: {value} ({against})");
        }

        return 0;
    }

    case "acl-perf":
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        return await Tributary.Tests.Perf.Security.AclPerf.RunAsync(arguments);
    case "broker-capacity":
        return await Tributary.Tests.Perf.HotPaths.BrokerCapacity.RunAsync(arguments);
    case "metrics-perf":
        return await Tributary.Tests.Perf.Observability.MetricsPerf.RunAsync(arguments);
    case "quota-perf":
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        return await Tributary.Tests.Perf.Security.QuotaPerf.RunAsync(arguments);
    case "http-baseline":
        return await BareHttpServer.ServeAsync(arguments);
    case "loopback":
        Console.WriteLine($"loopback TCP, one stream: {await Loopback.MeasureAsync():F0} MB/s");
        return 0;
    case "restart-perf":
        Librdkafka.Pin(typeof(Confluent.Kafka.Library).Assembly);
        return await Tributary.Tests.Perf.Lifecycle.RestartPerf.RunAsync(arguments);
    case "idle-partitions":
        return await IdlePartitions.RunAsync(arguments);
    default:
        Console.Error.WriteLine("usage: Tributary.Tests.Perf suite|producer-perf|consumer-perf|group-perf|txn-perf|registry-perf|rest-perf|connect-perf|jdbc-perf|cluster-perf|balance-perf|loopback|idle-partitions|restart-perf [options]");
        return 2;
}
