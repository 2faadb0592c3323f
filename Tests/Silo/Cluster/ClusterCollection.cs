using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// Cluster test classes run one after another: each starts several silo processes (and Redis or Azurite), and two
/// such clusters at once on two cores slow membership's failure detection into false suspicions.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Multi-process clusters";
}
