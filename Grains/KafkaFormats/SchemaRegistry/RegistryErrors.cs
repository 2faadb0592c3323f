namespace Tributary.Grains.KafkaFormats.SchemaRegistry;

/// <summary>
/// Confluent Schema Registry's error codes, part of its REST API's format (the HTTP status is their first three
/// digits); 0 for success. The subject engine decides with them, the grains carry them, the gateway answers them.
/// </summary>
public static class RegistryErrors
{
    public const int None = 0;
    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    public const int SubjectSoftDeleted = 40404;
    public const int SubjectNotSoftDeleted = 40405;
    public const int VersionSoftDeleted = 40406;
    public const int VersionNotSoftDeleted = 40407;
    public const int SubjectCompatibilityNotConfigured = 40408;
    public const int SubjectModeNotConfigured = 40409;
    public const int IncompatibleSchema = 409;
    public const int InvalidSchema = 42201;
    public const int InvalidVersion = 42202;
    public const int InvalidCompatibilityLevel = 42203;
    public const int InvalidMode = 42204;
    public const int OperationNotPermitted = 42205;
    public const int ReferenceExists = 42206;
    public const int InvalidSubject = 42208;
    public const int InvalidRuleSet = 42210;
    public const int ContextNotEmpty = 42211;
    public const int StoreError = 50001;
}
