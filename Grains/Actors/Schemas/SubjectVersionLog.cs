using Orleans.Storage;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// A subject's versions in grain storage, in chunks of <see cref="ChunkSize"/> consecutive version numbers (chunk k
/// holds versions 32k+1 to 32k+32), each its own record of the subject grain (<c>subject-versions-k</c>). A change
/// rewrites only the chunks it touched, so a registration writes one small record whatever the subject's size.
/// </summary>
/// <remarks>
/// Loading reads chunks 0, 1, 2 ... until one does not exist: a chunk emptied by permanent deletes below the highest
/// version is kept (empty), chunks above the highest version are cleared. After a crash in the middle of a multi-chunk
/// write (a subject's soft delete), each chunk is either old or new; readers accept both, as each change is complete
/// in the chunk it belongs to. Used by one grain activation, one turn at a time.
/// </remarks>
internal sealed class SubjectVersionLog(IGrainStorage storage, GrainId grain)
{
    public const int ChunkSize = 32;

    private readonly List<GrainState<SubjectVersionChunk>> _chunks = [];
    private readonly SortedSet<int> _dirty = [];

    /// <summary>Whether any chunk was stored.</summary>
    public bool Exists => _chunks.Count > 0;

    public async Task<IReadOnlyList<StoredVersion>> LoadAsync()
    {
        for (var k = 0; ; k++)
        {
            var chunk = new GrainState<SubjectVersionChunk>(new SubjectVersionChunk());
            await storage.ReadStateAsync(StateName(k), grain, chunk);
            if (!chunk.RecordExists)
            {
                return _chunks.SelectMany(c => c.State!.Versions).ToList();
            }

            _chunks.Add(chunk);
        }
    }

    public void Added(StoredVersion version)
    {
        var k = ChunkOf(version);
        while (_chunks.Count <= k)
        {
            // A chunk skipped by an imported version number is stored empty, so that loading reads on past it.
            _dirty.Add(_chunks.Count);
            _chunks.Add(new GrainState<SubjectVersionChunk>(new SubjectVersionChunk()));
        }

        _chunks[k].State!.Versions.Add(version);
        _dirty.Add(k);
    }

    /// <summary>A stored version changed in place (soft-deleted, referenced).</summary>
    public void Changed(StoredVersion version) => _dirty.Add(ChunkOf(version));

    public void Removed(StoredVersion version)
    {
        var k = ChunkOf(version);
        _chunks[k].State!.Versions.Remove(version);
        _dirty.Add(k);
    }

    /// <summary>Writes the chunks changed since the last flush (at once, so that they share the store's fsyncs).</summary>
    public async Task FlushAsync()
    {
        // Chunks above the highest version left are cleared, so that loading stops where the versions do.
        var last = _chunks.FindLastIndex(c => c.State!.Versions.Count > 0);
        var writes = new List<Task>();
        foreach (var k in _dirty)
        {
            writes.Add(k > last ? ClearAsync(k) : storage.WriteStateAsync(StateName(k), grain, _chunks[k]));
        }

        // Stored chunks above the last, left empty by a gap in the numbers (IMPORT mode), go too: a chunk written later
        // in their place starts afresh.
        for (var k = last + 1; k < _chunks.Count; k++)
        {
            if (!_dirty.Contains(k) && _chunks[k].RecordExists)
            {
                writes.Add(ClearAsync(k));
            }
        }

        _dirty.Clear();
        await Task.WhenAll(writes);
        _chunks.RemoveRange(last + 1, _chunks.Count - last - 1);
    }

    private async Task ClearAsync(int k)
    {
        if (_chunks[k].RecordExists)
        {
            await storage.ClearStateAsync(StateName(k), grain, _chunks[k]);
        }
    }

    private static int ChunkOf(StoredVersion version) => (version.Version - 1) / ChunkSize;

    private static string StateName(int chunk) => $"subject-versions-{chunk}";
}
