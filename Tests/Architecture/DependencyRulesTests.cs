namespace Tributary.Tests.Architecture;

/// <summary>
/// The dependency rules of the house, on every project's declared references and on what its built assembly really
/// uses: engines know nothing of Orleans or the Gateway; the grain interfaces need only the Orleans SDK and the shared
/// formats; the Gateway knows grain interfaces, never grain classes or engines; nothing outside Tests references Tests.
/// A new project falls under the rules by its name (<see cref="Layers.Of"/>).
/// </summary>
public sealed class DependencyRulesTests
{
    public static TheoryData<string> Products => new(ProductProject.All.Where(p => !p.IsTest).Select(p => p.AssemblyName));

    private static ProductProject Project(string assemblyName) => ProductProject.All.Single(p => p.AssemblyName == assemblyName);

    [Fact]
    public void EveryProject_BelongsToALayer()
    {
        Assert.All(ProductProject.All, project => Layers.Of(project.AssemblyName));
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void CompiledReferences_ToOurAssemblies_FollowTheLayers(string assemblyName)
    {
        var project = Project(assemblyName);
        var layer = Layers.Of(assemblyName);
        var forbidden = project.CompiledReferences
            .Where(r => r.StartsWith("Tributary.", StringComparison.Ordinal) && !Layers.MayReference(layer).Contains(Layers.Of(r)))
            .Select(r => $"{r} ({Layers.Of(r)})")
            .ToList();

        Assert.True(forbidden.Count == 0, $"{assemblyName} ({layer}) uses {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void ProjectReferences_FollowTheLayers(string assemblyName)
    {
        var project = Project(assemblyName);
        var layer = Layers.Of(assemblyName);
        var forbidden = project.ProjectReferences
            .Select(ProductProject.ByPath)
            .Where(r => !Layers.MayReference(layer).Contains(Layers.Of(r.AssemblyName)))
            .Select(r => $"{r.RelativeDirectory} ({Layers.Of(r.AssemblyName)})")
            .ToList();

        Assert.True(forbidden.Count == 0, $"{project.RelativeDirectory} ({layer}) references {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void OrleansFreeLayers_NeitherReferenceNorUseOrleansOrAspNetCore(string assemblyName)
    {
        var layer = Layers.Of(assemblyName);
        if (Layers.MayUseOrleans(layer))
        {
            return;
        }

        var project = Project(assemblyName);
        var used = project.CompiledReferences.Where(IsOrleansOrAspNetCore).ToList();
        var declared = project.PackageReferences.Where(IsOrleansOrAspNetCore).ToList();

        Assert.True(used.Count == 0, $"{assemblyName} ({layer}) uses {string.Join(", ", used)}");
        Assert.True(declared.Count == 0, $"{assemblyName} ({layer}) references the packages {string.Join(", ", declared)}");
    }

    [Fact]
    public void GrainInterfaces_UseOnlyTheOrleansSdkAndTheSharedFormats()
    {
        var project = ProductProject.All.Single(p => Layers.Of(p.AssemblyName) == Layer.Interfaces);
        string[] sdkAssemblies = ["Orleans.Core.Abstractions", "Orleans.Serialization", "Orleans.Serialization.Abstractions", "Orleans.Core"];

        Assert.Equal(["Microsoft.Orleans.Sdk"], project.PackageReferences);
        var others = project.CompiledReferences
            .Where(r => IsOrleansOrAspNetCore(r) && !sdkAssemblies.Contains(r) || r.StartsWith("Microsoft.Extensions", StringComparison.Ordinal))
            .ToList();
        Assert.True(others.Count == 0, $"{project.AssemblyName} uses {string.Join(", ", others)}");
    }

    private static bool IsOrleansOrAspNetCore(string name) =>
        name.StartsWith("Orleans", StringComparison.Ordinal) ||
        name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) ||
        name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);
}
