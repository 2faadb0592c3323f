using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Architecture;

/// <summary>
/// One project of the repository as the rules see it: what its project file declares (name, assembly, root namespace,
/// project and package references) and what its built assembly really uses (assembly references, type namespaces),
/// read from the assembly's metadata without loading it.
/// </summary>
public sealed class ProductProject
{
    private ProductProject(string path)
    {
        FilePath = path;
        Directory = Path.GetDirectoryName(path)!;
        RelativeDirectory = Path.GetRelativePath(Repository.Root, Directory).Replace('\\', '/');
        var project = XDocument.Load(path);
        string? Property(string name) => project.Descendants(name).Select(e => e.Value.Trim()).FirstOrDefault();
        ProjectName = Path.GetFileNameWithoutExtension(path);
        AssemblyName = Property("AssemblyName") ?? ProjectName;
        RootNamespace = Property("RootNamespace") ?? AssemblyName;
        ProjectReferences = project.Descendants("ProjectReference")
            .Select(e => Path.GetFullPath(Path.Combine(Directory, e.Attribute("Include")!.Value.Replace('\\', '/'))))
            .ToList();
        PackageReferences = project.Descendants("PackageReference").Select(e => e.Attribute("Include")!.Value).ToList();
    }

    public string FilePath { get; }

    public string Directory { get; }

    /// <summary>The project's folder from the repository root, with forward slashes (<c>Grains/Storage</c>).</summary>
    public string RelativeDirectory { get; }

    public string ProjectName { get; }

    public string AssemblyName { get; }

    public string RootNamespace { get; }

    public IReadOnlyList<string> ProjectReferences { get; }

    public IReadOnlyList<string> PackageReferences { get; }

    public bool IsTest => RelativeDirectory.StartsWith("Tests/", StringComparison.Ordinal);

    /// <summary>Every project of the repository (build outputs and tools folders left out).</summary>
    public static IReadOnlyList<ProductProject> All { get; } = System.IO.Directory
        .EnumerateFiles(Repository.Root, "*.csproj", SearchOption.AllDirectories)
        .Where(path => !Path.GetRelativePath(Repository.Root, path).Split(Path.DirectorySeparatorChar)
            .Any(part => part is "bin" or "obj" || part.StartsWith('.')))
        .Select(path => new ProductProject(path))
        .OrderBy(p => p.AssemblyName, StringComparer.Ordinal)
        .ToList();

    public static ProductProject ByPath(string path) =>
        All.Single(p => string.Equals(p.FilePath, path, StringComparison.Ordinal));

    /// <summary>The built assembly, from the project's own output for the configuration and framework these tests run in.</summary>
    public string AssemblyPath
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            return Path.Combine(Directory, "bin", configuration, framework.Name, AssemblyName + ".dll");
        }
    }

    /// <summary>The names of the assemblies the compiled code references (what it really uses).</summary>
    public IReadOnlyList<string> CompiledReferences => ReadMetadata(reader =>
        reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList());

    /// <summary>The namespaces of the types defined in the compiled assembly.</summary>
    public IReadOnlyList<string> CompiledNamespaces => ReadMetadata(reader =>
        reader.TypeDefinitions.Select(h => reader.GetString(reader.GetTypeDefinition(h).Namespace)).Distinct().ToList());

    private T ReadMetadata<T>(Func<MetadataReader, T> read)
    {
        Assert.True(File.Exists(AssemblyPath), $"{AssemblyPath} is not built: build the solution (dotnet build Orleans.sln) first.");
        using var stream = File.OpenRead(AssemblyPath);
        using var pe = new PEReader(stream);
        return read(pe.GetMetadataReader());
    }

    public override string ToString() => AssemblyName;
}
