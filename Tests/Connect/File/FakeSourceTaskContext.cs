using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Tests.Connect.File;

/// <summary>The little a source task asks of the runtime: its configuration and the stored offsets.</summary>
internal sealed class FakeSourceTaskContext(IReadOnlyDictionary<string, string> configs, IOffsetStorageReader offsets) : ISourceTaskContext
{
    public IReadOnlyDictionary<string, string> Configs { get; } = configs;

    public IOffsetStorageReader OffsetStorageReader { get; } = offsets;

    public ITransactionContext? TransactionContext => null;
}
