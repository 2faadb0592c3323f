using System.Text.RegularExpressions;

namespace Tributary.Tests.Architecture;

/// <summary>
/// Folders, project names, assembly names and namespaces agree: <c>Tributary.X.Y</c> lives in <c>X/Y</c>, in a project
/// file named <c>Tributary.X.Y.csproj</c>, and no two assemblies share a namespace.
/// </summary>
public sealed partial class NamingRulesTests
{
    public static TheoryData<string> Projects => new(ProductProject.All.Select(p => p.AssemblyName));

    private static ProductProject Project(string assemblyName) => ProductProject.All.Single(p => p.AssemblyName == assemblyName);

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectFile_Assembly_RootNamespace_AndFolder_Agree(string assemblyName)
    {
        var project = Project(assemblyName);

        Assert.Equal(assemblyName, project.ProjectName);
        Assert.Equal(assemblyName, project.RootNamespace);
        Assert.Equal("Tributary." + project.RelativeDirectory.Replace('/', '.'), assemblyName);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void EverySourceFile_DeclaresTheNamespaceOfItsFolder(string assemblyName)
    {
        var project = Project(assemblyName);
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(project.Directory, "*.cs", SearchOption.AllDirectories))
        {
            var folder = Path.GetRelativePath(project.Directory, Path.GetDirectoryName(file)!);
            if (folder.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var expected = folder == "." ? project.RootNamespace : project.RootNamespace + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
            // The first declaration is the file's (file-scoped); later matches would be in string literals (the generator's).
            var declared = NamespaceDeclaration().Match(File.ReadAllText(file));
            if (declared.Success && declared.Groups[1].Value != expected)
            {
                wrong.Add($"{Path.GetRelativePath(project.Directory, file)}: {declared.Groups[1].Value} (expected {expected})");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryCompiledNamespace_BelongsToItsOwnAssembly(string assemblyName)
    {
        var names = ProductProject.All.Select(p => p.AssemblyName).ToList();
        var foreign = Project(assemblyName).CompiledNamespaces
            .Where(ns => ns.StartsWith("Tributary", StringComparison.Ordinal))
            .Where(ns => names.Where(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length) != assemblyName)
            .ToList();

        Assert.True(foreign.Count == 0, $"{assemblyName} defines types in {string.Join(", ", foreign)}, which belong to another assembly's name or to none");
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
