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
        var used = project.CompiledReferences.Where(IsOrleansOrAspNetCore).Except(SerializerOnly(layer)).ToList();
        var declared = project.PackageReferences.Where(IsOrleansOrAspNetCore).Except(SerializerPackagesOnly(layer)).ToList();

        Assert.True(used.Count == 0, $"{assemblyName} ({layer}) uses {string.Join(", ", used)}");
        Assert.True(declared.Count == 0, $"{assemblyName} ({layer}) references the packages {string.Join(", ", declared)}");
    }

    [Fact]
    public void TheSharedFormats_TakeOrleansSerializerPrivately_SoEnginesDoNotGetOrleansThroughThem()
    {
        var project = ProductProject.All.Single(p => Layers.Of(p.AssemblyName) == Layer.SharedFormats);
        var file = System.Xml.Linq.XDocument.Load(project.FilePath);
        var orleans = file.Descendants("PackageReference")
            .Where(r => IsOrleansOrAspNetCore(r.Attribute("Include")!.Value))
            .ToList();

        Assert.All(orleans, r => Assert.Equal("all", r.Attribute("PrivateAssets")?.Value));
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

    /// <summary>
    /// The shared formats' one exception: Orleans' serializer and the serializers generated for their types (no grains,
    /// no runtime), so that the types every layer speaks cross grain boundaries as they are, without copies in the
    /// interfaces or mapping between layers.
    /// </summary>
    private static string[] SerializerOnly(Layer layer) =>
        layer == Layer.SharedFormats ? ["Orleans.Serialization", "Orleans.Serialization.Abstractions"] : [];

    private static string[] SerializerPackagesOnly(Layer layer) =>
        layer == Layer.SharedFormats ? ["Microsoft.Orleans.Serialization", "Microsoft.Orleans.CodeGenerator"] : [];

    private static bool IsOrleansOrAspNetCore(string name) =>
        name.StartsWith("Orleans", StringComparison.Ordinal) ||
        name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) ||
        name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);
}
