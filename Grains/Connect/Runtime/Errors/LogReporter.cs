using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Runtime.Metrics;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>
/// <c>errors.log.enable</c>: each tolerated failure logged with the task, stage and class (Kafka's <c>LogReporter</c>),
/// and with <c>errors.log.include.messages</c> the record's place (sink) or its key, value and offsets (source);
/// otherwise no record content reaches the log.
/// </summary>
public sealed partial class LogReporter(ILogger logger, string connector, int task, bool includeMessages, TaskMetrics? metrics = null) : IErrorReporter
{
    public Task ReportAsync(ErrorContext context, CancellationToken cancellationToken)
    {
        var failure = context.Failure;
        LogError(logger, failure.Error, connector, task, failure.Stage.KafkaName(), failure.ClassName, Describe(context));
        metrics?.ErrorLogged();
        return Task.CompletedTask;
    }

    private string Describe(ErrorContext context)
    {
        if (context.Consumed is { } consumed)
        {
            return includeMessages
                ? $", where consumed record is {{topic='{consumed.Partition.Topic}', partition={consumed.Partition.Partition}, offset={consumed.Offset}, timestamp={consumed.Timestamp}, timestampType={consumed.TimestampType}}}"
                : "";
        }

        return includeMessages && context.Source is { } source ? ", where source record is = " + source : "";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Error encountered in task {Connector}-{Task}. Executing stage '{Stage}' with class '{ClassName}'{Record}.")]
    private static partial void LogError(ILogger logger, Exception exception, string connector, int task, string stage, string className, string record);
}
