using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>The partitioner <c>partitioner.class</c> names: Confluent's class names, or their simple names.</summary>
public static class Partitioners
{
    private const string Package = "io.confluent.connect.storage.partitioner.";

    public static Partitioner Create(IReadOnlyDictionary<string, string> settings)
    {
        var config = new PartitionerConfig(settings);
        var name = config.ClassName.StartsWith(Package, StringComparison.Ordinal) ? config.ClassName[Package.Length..] : config.ClassName;
        return name switch
        {
            "DefaultPartitioner" => new DefaultPartitioner(config.Delimiter),
            "FieldPartitioner" => new FieldPartitioner(config),
            "TimeBasedPartitioner" => new TimeBasedPartitioner(config),
            "HourlyPartitioner" => new HourlyPartitioner(config),
            "DailyPartitioner" => new DailyPartitioner(config),
            _ => throw new ConfigException(PartitionerConfig.PartitionerClass, config.ClassName, "Class not found: no such partitioner."),
        };
    }
}
