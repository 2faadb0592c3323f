using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Grains.SchemaRegistry.Subjects;

/// <summary>An answer, or one of Confluent's error codes (<see cref="RegistryErrors"/>) with its message.</summary>
public readonly record struct SubjectOutcome<T>(int ErrorCode, string? Message, T? Value)
{
    public bool IsOk => ErrorCode == RegistryErrors.None;

    public static SubjectOutcome<T> Ok(T value) => new(RegistryErrors.None, null, value);

    public static SubjectOutcome<T> Fail(int code, string message) => new(code, message, default);

    /// <summary>The same error for another kind of answer.</summary>
    public SubjectOutcome<TOther> As<TOther>() => new(ErrorCode, Message, default);
}
