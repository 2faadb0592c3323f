using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>A tolerated failure with the record it concerned: the consumed bytes of a sink's record, or a source's record.</summary>
public sealed record ErrorContext(ProcessingFailure Failure, ConsumerRecord? Consumed, SourceRecord? Source);

/// <summary>Where tolerated failures are reported (Kafka's <c>ErrorReporter</c>): the log, a sink's dead-letter queue.</summary>
public interface IErrorReporter
{
    Task ReportAsync(ErrorContext context, CancellationToken cancellationToken);
}
