using System.Reflection;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Api.Transforms;

namespace Tributary.Grains.Connect.Runtime.Plugins;

/// <summary>
/// The plug-ins a Connect cluster can run, found in the given assemblies (Kafka's <c>Plugins</c> and
/// <c>DelegatingClassLoader</c>): connectors, converters, header converters, transforms and predicates. A plug-in is
/// found by any of its names: the Java class names of <see cref="ConnectPluginAttribute"/>, its C# full name, and
/// Kafka's aliases (the simple class name, and for connectors also without the <c>Connector</c> suffix) when they are
/// not ambiguous. Immutable once built; thread-safe.
/// </summary>
public sealed class PluginRegistry
{
    private readonly Dictionary<(string Name, PluginKind Kind), PluginDescriptor> _byName = [];

    public PluginRegistry(IEnumerable<Assembly> assemblies)
    {
        var found = assemblies.Distinct().SelectMany(Describe).ToList();
        Plugins = found.OrderBy(p => p.Kind).ThenBy(p => p.ClassName, StringComparer.Ordinal).ToList();
        foreach (var plugin in Plugins)
        {
            foreach (var name in plugin.Names)
            {
                _byName[(name, plugin.Kind)] = plugin;
            }
        }

        var aliases = Plugins.SelectMany(p => Aliases(p).Select(alias => (alias, p)))
            .GroupBy(a => (a.alias, a.p.Kind))
            .Where(g => g.Select(a => a.p.Type).Distinct().Count() == 1);
        foreach (var alias in aliases)
        {
            _byName.TryAdd(alias.Key, alias.First().p);
        }
    }

    public IReadOnlyList<PluginDescriptor> Plugins { get; }

    /// <summary>The plug-in of that name (any of its names or aliases) and one of those kinds (any kind when none are given), or null.</summary>
    public PluginDescriptor? Find(string name, params PluginKind[] kinds)
    {
        var trimmed = name.Trim();
        foreach (var kind in kinds.Length == 0 ? Enum.GetValues<PluginKind>() : kinds)
        {
            if (_byName.TryGetValue((trimmed, kind), out var plugin))
            {
                return plugin;
            }
        }

        return null;
    }

    /// <summary>The plug-in of that name and kind, or a <see cref="Api.Config.ConfigException"/> naming what was asked for.</summary>
    public PluginDescriptor Require(string name, params PluginKind[] kinds)
    {
        var plugin = Find(name, kinds);
        if (plugin is null)
        {
            throw new Api.Config.ConfigException(
                $"Failed to find any class that implements {string.Join(" or ", kinds.Select(k => k.RestName()))} and which name matches {name}");
        }

        return plugin;
    }

    /// <summary>A new instance of a connector, converter or header converter.</summary>
    public T Create<T>(PluginDescriptor plugin) => (T)Activator.CreateInstance(plugin.Type)!;

    /// <summary>A new transform or predicate for records of kind <typeparamref name="TRecord"/>.</summary>
    public T CreateFor<T, TRecord>(PluginDescriptor plugin)
        where TRecord : ConnectRecord<TRecord>
    {
        var type = plugin.Type.IsGenericTypeDefinition ? plugin.Type.MakeGenericType(typeof(TRecord)) : plugin.Type;
        return (T)Activator.CreateInstance(type)!;
    }

    private static IEnumerable<PluginDescriptor> Describe(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        foreach (var type in types.Where(t => t is { IsAbstract: false, IsInterface: false } && (t.IsPublic || t.IsNestedPublic)))
        {
            foreach (var kind in KindsOf(type))
            {
            var javaNames = type.GetCustomAttribute<ConnectPluginAttribute>()?.ClassNames ?? [];
            var own = OwnName(type);
            var className = javaNames.Count > 0 ? javaNames[0] : own;
            yield return new PluginDescriptor(kind, type, className, VersionOf(type))
            {
                Names = [.. javaNames, own],
            };
            }
        }
    }

    /// <summary>What a type can be used as; a converter may also be a header converter (Kafka's JsonConverter is both).</summary>
    private static IEnumerable<PluginKind> KindsOf(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            yield break;
        }

        if (typeof(SourceConnector).IsAssignableFrom(type))
        {
            yield return PluginKind.Source;
        }

        if (typeof(SinkConnector).IsAssignableFrom(type))
        {
            yield return PluginKind.Sink;
        }

        if (typeof(IConverter).IsAssignableFrom(type))
        {
            yield return PluginKind.Converter;
        }

        if (typeof(IHeaderConverter).IsAssignableFrom(type))
        {
            yield return PluginKind.HeaderConverter;
        }

        if (Implements(type, typeof(ITransformation<>)))
        {
            yield return PluginKind.Transformation;
        }

        if (Implements(type, typeof(IPredicate<>)))
        {
            yield return PluginKind.Predicate;
        }
    }

    private static bool Implements(Type type, Type openInterface) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface);

    private static string OwnName(Type type)
    {
        var name = type.FullName ?? type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name.Replace('+', '$') : name[..tick].Replace('+', '$');
    }

    private static string VersionOf(Type type)
    {
        if (!type.IsGenericTypeDefinition && typeof(IVersioned).IsAssignableFrom(type))
        {
            try
            {
                return ((IVersioned)Activator.CreateInstance(type)!).Version;
            }
            catch (Exception e) when (e is TargetInvocationException or MissingMethodException)
            {
                // A plug-in whose constructor fails is still listed; its version is then the assembly's.
            }
        }

        return type.Assembly.GetName().Version?.ToString(3) ?? "unknown";
    }

    /// <summary>Kafka's aliases (<c>PluginUtils.simpleName</c>/<c>prunedName</c>): the simple name, and a connector's without its suffix.</summary>
    private static IEnumerable<string> Aliases(PluginDescriptor plugin)
    {
        foreach (var name in plugin.Names)
        {
            var simple = name[(name.LastIndexOf('.') + 1)..];
            yield return simple;
            var suffix = plugin.Kind switch
            {
                PluginKind.Source or PluginKind.Sink => "Connector",
                PluginKind.Converter or PluginKind.HeaderConverter => "Converter",
                _ => null,
            };
            if (suffix is not null && simple.EndsWith(suffix, StringComparison.Ordinal) && simple.Length > suffix.Length)
            {
                yield return simple[..^suffix.Length];
            }
        }
    }
}
