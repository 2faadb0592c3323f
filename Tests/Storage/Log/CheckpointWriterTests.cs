using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Log;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Storage.Log;

public sealed class CheckpointWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private long _logStartOffset = 5;

    public void Dispose() => _temp.Dispose();

    private string CheckpointPath => _temp.Combine(LogFileNames.CheckpointFileName);

    private CheckpointWriter Create() => new(_temp.Path, new PartitionCheckpoint(0, 10, 0, 100), () => _logStartOffset);

    [Fact]
    public void Write_StoresTheRecoveryPoint_WithTheLogStartOffsetOfTheMoment()
    {
        var writer = Create();
        writer.MoveRecoveryPoint(offset: 20, segmentBase: 10, position: 64);
        _logStartOffset = 7;

        writer.Write();

        Assert.Equal(new PartitionCheckpoint(7, 20, 10, 64), PartitionCheckpoint.TryRead(_temp.Path));
        Assert.Equal(PartitionCheckpoint.TryRead(_temp.Path), writer.Written);
        Assert.True(writer.IsCurrent(logEndOffset: 20));
        Assert.False(writer.IsCurrent(logEndOffset: 21));
    }

    [Fact]
    public void Write_OfAnUnchangedCheckpoint_TouchesNoFile()
    {
        var writer = Create();
        writer.Write();
        File.Delete(CheckpointPath);

        writer.Write();
        Assert.False(File.Exists(CheckpointPath));

        _logStartOffset = 6;
        writer.Write();
        Assert.Equal(6, PartitionCheckpoint.TryRead(_temp.Path)?.LogStartOffset);
    }

    [Fact]
    public void Nothing_IsWritten_OnceSealed()
    {
        var writer = Create();
        writer.Seal();
        writer.MoveRecoveryPoint(offset: 20, segmentBase: 10, position: 64);

        writer.Write();

        Assert.False(File.Exists(CheckpointPath));
        Assert.Null(writer.Written);
    }

    [Fact]
    public void Starts_FromTheCheckpointFoundOnDisk()
    {
        new PartitionCheckpoint(3, 30, 20, 128).Write(_temp.Path);

        var writer = Create();

        Assert.Equal(new PartitionCheckpoint(3, 30, 20, 128), writer.Written);
        Assert.False(writer.IsCurrent(logEndOffset: 30));
        _logStartOffset = 3;
        Assert.True(writer.IsCurrent(logEndOffset: 30));
    }
}
