namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>Where in a task's pipeline an operation failed (Kafka's <c>Stage</c>), as the DLQ context header names it.</summary>
public enum ErrorStage
{
    KeyConverter,
    ValueConverter,
    HeaderConverter,
    Transformation,
    TaskPut,
    TaskPoll,
    KafkaProduce,
    KafkaConsume,
}

public static class ErrorStages
{
    /// <summary>Kafka's upper-case name (<c>VALUE_CONVERTER</c>).</summary>
    public static string KafkaName(this ErrorStage stage) => stage switch
    {
        ErrorStage.KeyConverter => "KEY_CONVERTER",
        ErrorStage.ValueConverter => "VALUE_CONVERTER",
        ErrorStage.HeaderConverter => "HEADER_CONVERTER",
        ErrorStage.Transformation => "TRANSFORMATION",
        ErrorStage.TaskPut => "TASK_PUT",
        ErrorStage.TaskPoll => "TASK_POLL",
        ErrorStage.KafkaProduce => "KAFKA_PRODUCE",
        _ => "KAFKA_CONSUME",
    };
}
