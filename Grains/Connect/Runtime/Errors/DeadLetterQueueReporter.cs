using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Runtime.Metrics;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>
/// A sink's dead-letter queue (Kafka's <c>DeadLetterQueueReporter</c>): a consumed record whose conversion, transform
/// or write failed and was tolerated is written as it was consumed (key, value, headers, timestamp) to
/// <c>errors.deadletterqueue.topic.name</c>; with <c>errors.deadletterqueue.context.headers.enable</c> it carries
/// Kafka's <c>__connect.errors.*</c> headers saying where it came from and why it failed.
/// </summary>
public sealed class DeadLetterQueueReporter(IRecordWriter writer, string topic, bool contextHeaders, string connector, int task, TaskMetrics? metrics = null) : IErrorReporter
{
    public const string HeaderPrefix = "__connect.errors.";

    public async Task ReportAsync(ErrorContext context, CancellationToken cancellationToken)
    {
        if (context.Consumed is not { } consumed)
        {
            return;
        }

        var headers = new List<KeyValuePair<string, byte[]?>>(consumed.Headers);
        if (contextHeaders)
        {
            var failure = context.Failure;
            Add(headers, "topic", consumed.Partition.Topic);
            Add(headers, "partition", consumed.Partition.Partition.ToString(CultureInfo.InvariantCulture));
            Add(headers, "offset", consumed.Offset.ToString(CultureInfo.InvariantCulture));
            Add(headers, "connector.name", connector);
            Add(headers, "task.id", task.ToString(CultureInfo.InvariantCulture));
            Add(headers, "stage", failure.Stage.KafkaName());
            Add(headers, "class.name", failure.ClassName);
            var error = failure.Error is ToleranceExceededException { InnerException: { } inner } ? inner : failure.Error;
            Add(headers, "exception.class.name", error.GetType().FullName ?? error.GetType().Name);
            if (error.Message.Length > 0)
            {
                Add(headers, "exception.message", error.Message);
            }

            Add(headers, "exception.stacktrace", error.ToString());
        }

        try
        {
            await writer.WriteAsync([new ProducerRecord(topic, null, consumed.Key, consumed.Value, headers, consumed.Timestamp)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.DeadLettered(succeeded: false);
            throw;
        }

        metrics?.DeadLettered(succeeded: true);
    }

    private static void Add(List<KeyValuePair<string, byte[]?>> headers, string name, string value) =>
        headers.Add(new(HeaderPrefix + name, Encoding.UTF8.GetBytes(value)));
}
