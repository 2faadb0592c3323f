using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;

namespace Tributary.Grains.Connect.Api.Connector;

/// <summary>
/// A connector (Kafka's <c>Connector</c>): it takes the connector's configuration, decides how many tasks do the work
/// and with which configuration each, and may watch the outside system to ask for new task configurations. It moves no
/// data itself. The runtime creates it, calls <see cref="Initialize"/>, <see cref="StartAsync"/>, then
/// <see cref="TaskConfigs"/>, and <see cref="StopAsync"/> when it is paused, stopped, reconfigured or deleted.
/// </summary>
public abstract class Connector : IVersioned
{
    private IConnectorContext? _context;

    protected IConnectorContext Context => _context ?? throw new InvalidOperationException("The connector has not been initialized.");

    public abstract string Version { get; }

    /// <summary>The task class the runtime creates for each of <see cref="TaskConfigs"/>.</summary>
    public abstract Type TaskType { get; }

    /// <summary>The configurations this connector takes, for validation and <c>/connector-plugins/{plugin}/config</c>.</summary>
    public abstract ConfigDef Config { get; }

    public virtual void Initialize(IConnectorContext context) => _context = context;

    public abstract Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="maxTasks"/> task configurations; each becomes one task.</summary>
    public abstract IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks);

    public abstract Task StopAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Checks a configuration before it is saved (Kafka's <c>validate</c>): by default every key of <see cref="Config"/>;
    /// connectors override it to add checks across keys.
    /// </summary>
    public virtual IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> connectorConfigs) => Config.Validate(connectorConfigs);
}
