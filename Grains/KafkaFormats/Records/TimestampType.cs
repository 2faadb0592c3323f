namespace Tributary.Grains.KafkaFormats.Records;

/// <summary>Whose clock a batch's timestamps come from (attribute bit 3).</summary>
public enum TimestampType
{
    CreateTime = 0,
    LogAppendTime = 1,
}
