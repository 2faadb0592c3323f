using RocksDbSharp;

namespace Tributary.Grains.Streams.State;

/// <summary>How the persistent stores open their RocksDB databases.</summary>
internal static class RocksDbFiles
{
    /// <summary>How long a task waits for a database's lock, held while another thread of the process still closes it.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Writes without RocksDB's write-ahead log, as Kafka's stores write: the changelog is the store's log, and a
    /// flush at each commit makes what the checkpoint says durable.
    /// </summary>
    public static WriteOptions WithoutWal() => new WriteOptions().DisableWal(1);

    /// <summary>Opens (creating) the database in <paramref name="directory"/>, waiting while another thread of the process holds it.</summary>
    public static RocksDb Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var options = new DbOptions().SetCreateIfMissing(true).SetCompression(Compression.Lz4);
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return RocksDb.Open(options, directory);
            }
            catch (RocksDbException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase) && DateTime.UtcNow < deadline)
            {
                // Another thread of this process has not closed the task's store yet (a task moving between threads).
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Flushes the database's memtables to its files and waits until they are written.</summary>
    public static void Flush(RocksDb db) => db.Flush(new FlushOptions().SetWaitForFlush(true));
}
