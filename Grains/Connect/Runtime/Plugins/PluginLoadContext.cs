using System.Reflection;
using System.Runtime.Loader;

namespace Tributary.Grains.Connect.Runtime.Plugins;

/// <summary>
/// One plug-in's own load context (Kafka's <c>PluginClassLoader</c>): its assemblies and their dependencies come from its
/// directory (through its <c>.deps.json</c> when it has one), so two plug-ins may carry different versions of the same
/// library; Connect's API and the framework come from the host, so that a plug-in's connectors and converters are the
/// host's types. Never unloaded: a plug-in stays loaded while the worker runs.
/// </summary>
internal sealed class PluginLoadContext(string directory, string mainAssembly) : AssemblyLoadContext("connect-plugin:" + Path.GetFileName(directory))
{
    /// <summary>Assemblies every plug-in shares with the host: the API their types implement.</summary>
    private static readonly string[] Shared = ["Tributary.Grains.Connect.Api"];

    private readonly AssemblyDependencyResolver _resolver = new(mainAssembly);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (Shared.Contains(assemblyName.Name, StringComparer.Ordinal))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Probe(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private string? Probe(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? candidate : null;
    }
}
