namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// Stream applications run several consumers, producers and threads each: their test classes run alone, after the
/// others, so that their load does not stretch the timing bounds of other classes on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StreamApplicationsCollection
{
    public const string Name = "Stream applications";
}
