namespace Tributary.Tests.Connect.Runtime.Plugins;

/// <summary>A plugin.path directory holding the sample plug-in (Tests/Connect/SamplePlugin, built beside the tests) in a folder of its own.</summary>
internal sealed class SamplePluginDirectory : IDisposable
{
    public SamplePluginDirectory()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var built = System.IO.Path.GetFullPath(System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "SamplePlugin", "bin", configuration, "net10.0"));
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Path, "counting"));
        foreach (var file in Directory.EnumerateFiles(built, "Tributary.Tests.Connect.SamplePlugin.*"))
        {
            File.Copy(file, System.IO.Path.Combine(folder.FullName, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("tributary-plugin-path-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
