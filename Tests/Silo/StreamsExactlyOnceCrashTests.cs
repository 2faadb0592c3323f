using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo;

/// <summary>
/// Tributary.Streams' exactly_once_v2 across a crash: a word count runs as a process of its own and is killed with
/// SIGKILL while lines flow in; a second instance of the application takes over. A read_committed reader then sees,
/// for every word, each count from 1 to the word's total exactly once: no update of the dead instance's open
/// transactions, no update counted twice or skipped when its state came back from the changelog.
/// </summary>
public sealed class StreamsExactlyOnceCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Input = "eos-crash-lines";
    private const string Output = "eos-crash-counts";
    private static readonly string[] Words = ["oak", "ash", "elm", "yew", "fir", "pine", "larch", "birch", "alder", "rowan", "holly", "hazel"];

    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <param name="cacheBytes">
    /// 0: every count change is written, so each word's committed counts are exactly 1, 2, ... its total; with the
    /// record cache, each commit writes a word's latest count, so they rise strictly to its total, none repeated or skipped back.
    /// </param>
    [Theory]
    [InlineData(0)]
    [InlineData(10 * 1024 * 1024)]
    public async Task AnInstanceKilledMidStream_LeavesEveryCountCommittedExactlyOnce(int cacheBytes)
    {
        await using var silo = await SiloLauncher.StartAsync(_data);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = silo.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = Input, NumPartitions = 3, ReplicationFactor = 1 },
                new TopicSpecification { Name = Output, NumPartitions = 3, ReplicationFactor = 1 },
            ]);
        }

        var expected = new Dictionary<string, long>();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = silo.BootstrapServers, LingerMs = 5 }).Build();
        var next = Produce(producer, 0, 2000, expected);

        var first = await StreamsApp.StartAsync(silo.BootstrapServers, cacheBytes);
        // Lines keep coming while the first instance counts them in transactions; it dies between two commits.
        using (var stop = new CancellationTokenSource())
        {
            var flowing = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    next = Produce(producer, next, 100, expected);
                    await Task.Delay(20);
                }
            });
            await Task.Delay(TimeSpan.FromMilliseconds(1500 + Random.Shared.Next(1000)));
            await first.KillAsync();
            await stop.CancelAsync();
            await flowing;
        }

        output.WriteLine($"killed the first instance after {next} lines were sent");
        await using var second = await StreamsApp.StartAsync(silo.BootstrapServers, cacheBytes);
        next = Produce(producer, next, 1000, expected);
        producer.Flush(TimeSpan.FromSeconds(30));

        var updates = await ReadCommittedUpdatesAsync(silo.BootstrapServers, expected, TimeSpan.FromSeconds(120));
        output.WriteLine($"{next} lines, {expected.Values.Sum()} words, {updates.Values.Sum(u => u.Count)} committed count updates");
        foreach (var (word, total) in expected)
        {
            if (cacheBytes == 0)
            {
                Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), updates[word]);
            }
            else
            {
                Assert.Equal(total, updates[word][^1]);
                Assert.All(updates[word].Zip(updates[word].Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{word}: {pair.First} then {pair.Second}"));
            }
        }
    }

    private static int Produce(IProducer<string, string> producer, int first, int count, Dictionary<string, long> expected)
    {
        for (var i = first; i < first + count; i++)
        {
            var line = Enumerable.Range(0, 1 + (i % 3)).Select(j => Words[(i * 5 + j * 7) % Words.Length]).ToList();
            lock (expected)
            {
                foreach (var word in line)
                {
                    expected[word] = expected.GetValueOrDefault(word) + 1;
                }
            }

            producer.Produce(Input, new Message<string, string> { Key = "line-" + i, Value = string.Join(' ', line) });
        }

        return first + count;
    }

    /// <summary>Every committed count update per word, in order, read until each word reached its total.</summary>
    private static async Task<Dictionary<string, List<long>>> ReadCommittedUpdatesAsync(string bootstrap, Dictionary<string, long> expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "eos-crash-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        consumer.Subscribe(Output);
        var updates = expected.Keys.ToDictionary(w => w, _ => new List<long>());
        var deadline = DateTime.UtcNow + timeout;
        await Task.Run(() =>
        {
            while (expected.Any(e => updates[e.Key].LastOrDefault() < e.Value) && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    updates[result.Message.Key].Add(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(result.Message.Value));
                }
            }
        });
        consumer.Close();
        return updates;
    }

    /// <summary>The word count with exactly_once_v2 as a process of its own (the perf tool's <c>streams-wordcount</c>).</summary>
    private sealed class StreamsApp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _output = [];

        private StreamsApp(Process process) => _process = process;

        public static async Task<StreamsApp> StartAsync(string bootstrap, int cacheBytes)
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var dll = Path.Combine(Repository.Root, "Tests", "Perf", "bin", configuration, "net10.0", "Tributary.Tests.Perf.dll");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList =
                {
                    dll, "streams-wordcount", "--bootstrap", bootstrap, "--application-id", "eos-crash", "--input", Input, "--output", Output,
                    "--guarantee", "exactly_once_v2", "--threads", "2", "--commit-interval-ms", "100",
                    "--cache-max-bytes", cacheBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var app = new StreamsApp(Process.Start(start)!);
            app._process.OutputDataReceived += (_, e) => app.Capture(e.Data);
            app._process.ErrorDataReceived += (_, e) => app.Capture(e.Data);
            app._process.BeginOutputReadLine();
            app._process.BeginErrorReadLine();
            if (await Task.WhenAny(app._running.Task, app._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60))) != app._running.Task)
            {
                await app.KillAsync();
                throw new InvalidOperationException("The stream application did not run:" + Environment.NewLine + string.Join(Environment.NewLine, app._output));
            }

            return app;
        }

        public async Task KillAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        /// <summary>Closes its standard input, which closes the application cleanly.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            _process.Dispose();
        }

        private void Capture(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Add(line);
            }

            if (line == "RUNNING")
            {
                _running.TrySetResult();
            }
        }
    }
}
