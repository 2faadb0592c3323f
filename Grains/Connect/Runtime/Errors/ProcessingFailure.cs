namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>A failed operation the tolerance let pass: where it failed, in which plug-in, and why.</summary>
public sealed record ProcessingFailure(ErrorStage Stage, string ClassName, Exception Error);

/// <summary>Thrown when an error is not tolerated (Kafka's "Tolerance exceeded in error handler"): the task fails.</summary>
public sealed class ToleranceExceededException(ErrorStage stage, string className, Exception inner)
    : Api.ConnectException("Tolerance exceeded in error handler", inner)
{
    public ErrorStage Stage { get; } = stage;

    public string ClassName { get; } = className;
}
