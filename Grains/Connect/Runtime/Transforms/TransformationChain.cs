using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Plugins;

namespace Tributary.Grains.Connect.Runtime.Transforms;

/// <summary>
/// A connector's transforms in the order <c>transforms</c> names them (Kafka's <c>TransformationChain</c>), each
/// applied only when its predicate holds (or fails, with <c>negate</c>). A transform that returns null drops the record
/// and the rest of the chain is skipped. Not thread-safe: one chain per task.
/// </summary>
public sealed class TransformationChain<TRecord> : IDisposable
    where TRecord : ConnectRecord<TRecord>
{
    // An array, walked by index: a chain is applied to every record, and most chains are empty.
    private readonly Stage[] _stages;

    private TransformationChain(Stage[] stages) => _stages = stages;

    public static TransformationChain<TRecord> Empty { get; } = new([]);

    public int Count => _stages.Length;

    /// <summary>The chain a connector config describes, each transform and predicate configured with its prefixed keys.</summary>
    public static TransformationChain<TRecord> Build(PluginRegistry plugins, IReadOnlyDictionary<string, string> config)
    {
        var predicates = new Dictionary<string, IPredicate<TRecord>>(StringComparer.Ordinal);
        foreach (var alias in ConnectorConfig.Aliases(config, ConnectorConfig.Predicates))
        {
            var prefix = $"{ConnectorConfig.Predicates}.{alias}.";
            var plugin = plugins.Require(config.GetValueOrDefault(prefix + "type") ?? "", PluginKind.Predicate);
            var predicate = plugins.CreateFor<IPredicate<TRecord>, TRecord>(plugin);
            predicate.Configure(WithPrefix(config, prefix));
            predicates[alias] = predicate;
        }

        var stages = new List<Stage>();
        foreach (var alias in ConnectorConfig.Aliases(config, ConnectorConfig.Transforms))
        {
            var prefix = $"{ConnectorConfig.Transforms}.{alias}.";
            var plugin = plugins.Require(config.GetValueOrDefault(prefix + "type") ?? "", PluginKind.Transformation);
            var transformation = plugins.CreateFor<ITransformation<TRecord>, TRecord>(plugin);
            var own = WithPrefix(config, prefix);
            own.Remove("predicate");
            own.Remove("negate");
            transformation.Configure(own);
            IPredicate<TRecord>? predicate = null;
            if (config.TryGetValue(prefix + "predicate", out var predicateAlias) && !predicates.TryGetValue(predicateAlias, out predicate))
            {
                throw new Api.Config.ConfigException(prefix + "predicate", predicateAlias, "Predicate '" + predicateAlias + "' not found in the predicates configuration.");
            }

            var negate = config.TryGetValue(prefix + "negate", out var n) && bool.TryParse(n, out var b) && b;
            stages.Add(new Stage(alias, transformation, predicate, negate));
        }

        return new TransformationChain<TRecord>([.. stages]);
    }

    /// <summary>The record after every stage that applies; null when a transform dropped it.</summary>
    public TRecord? Apply(TRecord record)
    {
        TRecord? current = record;
        for (var i = 0; i < _stages.Length; i++)
        {
            var stage = _stages[i];
            if (stage.Predicate is null || stage.Predicate.Test(current) != stage.Negate)
            {
                current = stage.Transformation.Apply(current);
                if (current is null)
                {
                    return null;
                }
            }
        }

        return current;
    }

    public void Dispose()
    {
        foreach (var stage in _stages)
        {
            stage.Transformation.Dispose();
            stage.Predicate?.Dispose();
        }
    }

    private static Dictionary<string, string> WithPrefix(IReadOnlyDictionary<string, string> config, string prefix) =>
        config.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);

    private sealed record Stage(string Alias, ITransformation<TRecord> Transformation, IPredicate<TRecord>? Predicate, bool Negate);
}
