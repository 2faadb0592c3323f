using System.Text;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.State;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.State;

public sealed class StateLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name = "states") => Path.Combine(_temp.Path, name + ".statelog");

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Writes_AreReadBack_WithVersionsGrowingByOne_AndSurviveReopening()
    {
        using (var log = StateLog.Open(PathOf()))
        {
            Assert.Equal((0, null), log.Read("a"));
            Assert.Equal(1, log.TryWrite("a", 0, Bytes("a1"))?.Version);
            Assert.Equal(2, log.TryWrite("a", 1, Bytes("a2"))?.Version);
            Assert.Equal(1, log.TryWrite("b", 0, Bytes("b1"))?.Version);
            Assert.Equal((2L, "a2"), (log.Read("a").Version, Text(log.Read("a").Value)));
        }

        using var reopened = StateLog.Open(PathOf());
        Assert.Equal((2L, "a2"), (reopened.Read("a").Version, Text(reopened.Read("a").Value)));
        Assert.Equal((1L, "b1"), (reopened.Read("b").Version, Text(reopened.Read("b").Value)));
        Assert.Equal(3, reopened.TryWrite("a", 2, Bytes("a3"))?.Version);
    }

    [Fact]
    public void AWriteAtAnotherVersion_IsRefused_AndChangesNothing()
    {
        using var log = StateLog.Open(PathOf());
        log.TryWrite("a", 0, Bytes("a1"));
        log.TryWrite("a", 1, Bytes("a2"));

        Assert.Null(log.TryWrite("a", 1, Bytes("stale"))?.Version);
        Assert.Null(log.TryWrite("a", 0, Bytes("fresh"))?.Version);
        Assert.Null(log.TryWrite("never", 3, Bytes("x"))?.Version);
        Assert.Equal((2L, "a2"), (log.Read("a").Version, Text(log.Read("a").Value)));
        Assert.Equal((0, null), log.Read("never"));
    }

    [Fact]
    public void ARemovedKey_IsAtVersionZero_AndStaysRemovedAfterReopening()
    {
        using (var log = StateLog.Open(PathOf()))
        {
            log.TryWrite("a", 0, Bytes("a1"));
            log.TryWrite("keep", 0, Bytes("k1"));
            Assert.Null(log.TryWrite("a", 0, [], remove: true)?.Version);
            Assert.Equal(0, log.TryWrite("a", 1, [], remove: true)?.Version);
            Assert.Equal((0, null), log.Read("a"));
        }

        using var reopened = StateLog.Open(PathOf());
        Assert.Equal((0, null), reopened.Read("a"));
        Assert.Equal("k1", Text(reopened.Read("keep").Value));
        Assert.Equal(1, reopened.TryWrite("a", 0, Bytes("again"))?.Version);
    }

    [Fact]
    public void ATornLastRecord_IsCutOff_AtEveryLength_AndEveryEarlierWriteIsKept()
    {
        long before, after;
        using (var log = StateLog.Open(PathOf("source")))
        {
            for (var i = 0; i < 5; i++)
            {
                log.TryWrite($"key-{i}", 0, Bytes($"value-{i}"));
            }

            before = log.Length;
            log.TryWrite("key-0", 1, Bytes("the last write, torn"));
            after = log.Length;
        }

        var whole = File.ReadAllBytes(PathOf("source"));
        for (var cut = before; cut < after; cut++)
        {
            File.WriteAllBytes(PathOf(), whole.AsSpan(0, (int)cut).ToArray());
            using (var log = StateLog.Open(PathOf()))
            {
                Assert.Equal(before, log.Length);
                Assert.Equal((1L, "value-0"), (log.Read("key-0").Version, Text(log.Read("key-0").Value)));
                Assert.Equal("value-4", Text(log.Read("key-4").Value));
                Assert.Equal(2, log.TryWrite("key-0", 1, Bytes("after recovery"))?.Version);
            }

            using var reopened = StateLog.Open(PathOf());
            Assert.Equal("after recovery", Text(reopened.Read("key-0").Value));
        }
    }

    [Fact]
    public void ALastRecordThatFailsItsCrc_IsCutOff()
    {
        long before;
        using (var log = StateLog.Open(PathOf()))
        {
            log.TryWrite("a", 0, Bytes("a1"));
            before = log.Length;
            log.TryWrite("a", 1, Bytes("a2"));
        }

        var bytes = File.ReadAllBytes(PathOf());
        bytes[^1] ^= 0x5A;
        File.WriteAllBytes(PathOf(), bytes);

        using var reopened = StateLog.Open(PathOf());
        Assert.Equal(before, reopened.Length);
        Assert.Equal((1L, "a1"), (reopened.Read("a").Version, Text(reopened.Read("a").Value)));
    }

    [Fact]
    public void ADamagedRecordWithGoodOnesAfterIt_StopsTheOpen_AndNothingIsCutOff()
    {
        long second;
        using (var log = StateLog.Open(PathOf()))
        {
            log.TryWrite("a", 0, Bytes("a1"));
            second = log.Length;
            log.TryWrite("b", 0, Bytes("b1"));
            log.TryWrite("c", 0, Bytes("c1"));
        }

        var bytes = File.ReadAllBytes(PathOf());
        bytes[second + 20] ^= 0x5A;
        File.WriteAllBytes(PathOf(), bytes);

        Assert.Throws<InvalidDataException>(() => StateLog.Open(PathOf()));
        Assert.Equal(bytes.Length, new FileInfo(PathOf()).Length);
    }

    [Fact]
    public void ADamagedLastRecordFollowedByZeros_IsATornTail()
    {
        long before;
        using (var log = StateLog.Open(PathOf()))
        {
            log.TryWrite("a", 0, Bytes("a1"));
            before = log.Length;
            log.TryWrite("a", 1, Bytes("a2"));
        }

        var bytes = File.ReadAllBytes(PathOf()).Concat(new byte[4096]).ToArray();
        bytes[before + 20] ^= 0x5A;
        File.WriteAllBytes(PathOf(), bytes);

        using var reopened = StateLog.Open(PathOf());
        Assert.Equal(before, reopened.Length);
        Assert.Equal("a1", Text(reopened.Read("a").Value));
    }

    [Fact]
    public void AFileThatIsNotAStateLog_IsRefused()
    {
        File.WriteAllBytes(PathOf(), Bytes("not a state log at all"));

        Assert.Throws<InvalidDataException>(() => StateLog.Open(PathOf()));
    }

    [Fact]
    public async Task Compaction_KeepsTheFileNearItsLiveSize_AndEveryKeysLastValue()
    {
        const int compactAfter = 4096;
        using (var log = StateLog.Open(PathOf(), compactAfterBytes: compactAfter))
        {
            var versions = new long[10];
            for (var round = 0; round < 200; round++)
            {
                for (var key = 0; key < versions.Length; key++)
                {
                    versions[key] = log.TryWrite($"key-{key}", versions[key], Bytes($"round {round} of key {key}"))!.Value.Version;
                }
            }

            // Compactions run in the background: once the last is done, one more write starts another that has
            // nothing else to catch up with.
            await log.Compaction;
            Assert.Equal(0, log.TryWrite("key-9", 200, [], remove: true)?.Version);
            await log.Compaction;
            Assert.True(log.Length < 2 * compactAfter, $"{log.Length} bytes after the last compaction");
        }

        Assert.False(File.Exists(PathOf() + ".tmp"));
        using var reopened = StateLog.Open(PathOf(), compactAfterBytes: compactAfter);
        Assert.Equal((200L, "round 199 of key 3"), (reopened.Read("key-3").Version, Text(reopened.Read("key-3").Value)));
        Assert.Equal((0, null), reopened.Read("key-9"));
    }

    [Fact]
    public void ACompactionCutShort_LeavesTheOldLog_AndItsTemporaryFileIsRemoved()
    {
        using (var log = StateLog.Open(PathOf()))
        {
            log.TryWrite("a", 0, Bytes("a1"));
        }

        File.WriteAllBytes(PathOf() + ".tmp", Bytes("half a compaction"));

        using var reopened = StateLog.Open(PathOf());
        Assert.Equal("a1", Text(reopened.Read("a").Value));
        Assert.False(File.Exists(PathOf() + ".tmp"));
    }

    [Fact]
    public async Task ConcurrentWritersAtTheSameVersion_OnlyOneWins()
    {
        using var log = StateLog.Open(PathOf());
        log.TryWrite("a", 0, Bytes("a1"));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => log.TryWrite("a", 1, Bytes($"writer {i}"))?.Version)));

        Assert.Single(results, r => r == 2);
        Assert.Equal(2, log.Read("a").Version);
    }

    [Fact]
    public async Task WritesAndRemovals_DuringBackgroundCompactions_AllSurvive_DurableOrNot()
    {
        foreach (var durable in new[] { true, false })
        {
            var path = PathOf($"concurrent-{durable}");
            using (var log = StateLog.Open(path, durable, compactAfterBytes: 2048))
            {
                await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
                {
                    var (version, gone) = (0L, 0L);
                    for (var i = 0; i < 300; i++)
                    {
                        // Each writer's key is removed once midway and written again from version 0; a second key is
                        // written once and removed, so removals meet compactions too.
                        var (next, position) = i == 150
                            ? log.TryWrite($"key-{writer}", version, [], remove: true)!.Value
                            : log.TryWrite($"key-{writer}", version, Bytes($"write {i} of {writer}"))!.Value;
                        await log.WhenDurableAsync(position);
                        version = next;
                        if (i == 30)
                        {
                            gone = log.TryWrite($"gone-{writer}", 0, Bytes("soon removed"))!.Value.Version;
                        }
                        else if (i == 180)
                        {
                            await log.WhenDurableAsync(log.TryWrite($"gone-{writer}", gone, [], remove: true)!.Value.Position);
                        }
                    }
                })));
                await log.Compaction;
            }

            using var reopened = StateLog.Open(path);
            Assert.All(Enumerable.Range(0, 8), writer =>
            {
                Assert.Equal((149L, $"write 299 of {writer}"), (reopened.Read($"key-{writer}").Version, Text(reopened.Read($"key-{writer}").Value)));
                Assert.Equal((0, null), reopened.Read($"gone-{writer}"));
            });
        }
    }

    [Fact]
    public void ASecondOpenerOfTheSameLog_IsRefused_AndLeavesTheHoldersFilesAlone()
    {
        using var log = StateLog.Open(PathOf());
        var compacting = PathOf() + LogFileNames.TemporarySuffix;
        File.WriteAllBytes(compacting, [1, 2, 3]);

        var refused = Assert.Throws<IOException>(() => StateLog.Open(PathOf()));

        Assert.Contains(PathOf(), refused.Message);
        Assert.True(File.Exists(compacting));
        Assert.Equal(1, log.TryWrite("a", 0, Bytes("a1"))?.Version);
    }
}
