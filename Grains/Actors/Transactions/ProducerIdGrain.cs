using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Transactions;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Transactions;

/// <summary>
/// Producer ids from a durable counter: a block is reserved (the counter moved past it and stored) before its first
/// id is handed out, so a restart skips the rest of a block rather than reusing any id.
/// </summary>
public sealed class ProducerIdGrain(
    [PersistentState("producer-ids", GrainStorageNames.ControlPlane)] IPersistentState<ProducerIdState> state,
    IOptions<TributaryOptions> options) : Grain, IProducerIdGrain
{
    private long _next;
    private long _blockEnd;

    public async Task<long> NextAsync()
    {
        if (_next >= _blockEnd)
        {
            var start = state.State.NextBlockStart;
            state.State.NextBlockStart = start + options.Value.Transactions.ProducerIdBlockSize;
            await state.WriteStateAsync();
            (_next, _blockEnd) = (start, state.State.NextBlockStart);
        }

        return _next++;
    }
}

[GenerateSerializer, Alias("Tributary.Grains.ProducerIdState")]
public sealed class ProducerIdState
{
    /// <summary>The first id no block has reserved yet.</summary>
    [Id(0)]
    public long NextBlockStart { get; set; }
}
