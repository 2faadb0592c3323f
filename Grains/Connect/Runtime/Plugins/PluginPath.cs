namespace Tributary.Grains.Connect.Runtime.Plugins;

/// <summary>
/// Kafka's <c>plugin.path</c>: directories whose entries are plug-ins. Each subdirectory is one plug-in (its assemblies
/// and their dependencies), and each assembly directly in a path directory is a plug-in of its own; every plug-in is
/// loaded in a <see cref="PluginLoadContext"/> of its own. A path that does not exist is an error, as a mistyped path
/// would otherwise quietly lose its connectors.
/// </summary>
public static class PluginPath
{
    /// <summary>The assemblies of every plug-in under <paramref name="directories"/>, each plug-in in its own load context.</summary>
    public static IReadOnlyList<System.Reflection.Assembly> Load(IEnumerable<string> directories)
    {
        var assemblies = new List<System.Reflection.Assembly>();
        foreach (var directory in directories.Select(d => d.Trim()).Where(d => d.Length > 0))
        {
            if (!Directory.Exists(directory))
            {
                throw new Api.Config.ConfigException("plugin.path", directory, "The directory does not exist.");
            }

            foreach (var dll in Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal))
            {
                assemblies.Add(new PluginLoadContext(directory, dll).LoadFromAssemblyPath(Path.GetFullPath(dll)));
            }

            foreach (var plugin in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
            {
                var dlls = Directory.EnumerateFiles(plugin, "*.dll").Order(StringComparer.Ordinal).ToList();
                if (dlls.Count == 0)
                {
                    continue;
                }

                var main = dlls.FirstOrDefault(d => File.Exists(Path.ChangeExtension(d, ".deps.json"))) ?? dlls[0];
                var context = new PluginLoadContext(plugin, main);
                assemblies.AddRange(dlls.Where(IsPluginAssembly).Select(d => context.LoadFromAssemblyPath(Path.GetFullPath(d))));
            }
        }

        return assemblies;
    }

    /// <summary>The host's own API is never loaded again from a plug-in's directory.</summary>
    private static bool IsPluginAssembly(string path) =>
        !string.Equals(Path.GetFileNameWithoutExtension(path), "Tributary.Grains.Connect.Api", StringComparison.Ordinal);
}
