using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Storage.Log;

/// <summary>What <see cref="BatchScanner.Next"/> found at the current position.</summary>
internal enum ScanStatus
{
    /// <summary>A whole batch: see <see cref="BatchScanner.Batch"/>.</summary>
    Batch,

    /// <summary>The scan reached its end position exactly.</summary>
    End,

    /// <summary>The bytes left are fewer than the batch they start claims: a torn write.</summary>
    Incomplete,

    /// <summary>A batch header that cannot be right (length too small, magic not 2).</summary>
    Corrupt,
}

/// <summary>
/// Walks the record batches of a segment file between two positions, reading the file in large chunks so that
/// a scan costs a few reads, not one per batch. Each batch is handed out whole (or, for a headers-only scan, just
/// its 61-byte header, without reading the rest), as a view that is valid until the next call. Not thread-safe;
/// one scanner per scan.
/// </summary>
internal sealed class BatchScanner : IDisposable
{
    private const int MinimumChunk = 64 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private readonly bool _headersOnly;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private int _batchLength;

    public BatchScanner(SafeFileHandle file, long start, long end, bool headersOnly = false, int chunkSize = MinimumChunk)
    {
        _file = file;
        _end = end;
        _headersOnly = headersOnly;
        Position = start;
        _bufferStart = start;
        // A headers-only scan reads the chunk its caller asks for (a fetch's short walk to its batch); a scan of whole
        // batches reads at least MinimumChunk at a time.
        _buffer = ArrayPool<byte>.Shared.Rent(headersOnly ? Math.Max(chunkSize, RecordBatch.HeaderSize) : Math.Max(chunkSize, MinimumChunk));
    }

    /// <summary>File position of the current batch (after <see cref="Next"/>) or of where the scan stopped.</summary>
    public long Position { get; private set; }

    /// <summary>The batch <see cref="Next"/> returned: whole, or only its header in a headers-only scan.</summary>
    public ReadOnlySpan<byte> Batch =>
        _buffer.AsSpan((int)(Position - _bufferStart), _headersOnly ? RecordBatch.HeaderSize : _batchLength);

    /// <summary>Size in bytes of the batch <see cref="Next"/> returned.</summary>
    public int BatchLength => _batchLength;

    public ScanStatus Next()
    {
        Position += _batchLength;
        _batchLength = 0;
        var remaining = _end - Position;
        if (remaining == 0)
        {
            return ScanStatus.End;
        }

        if (remaining < RecordBatch.LogOverhead || !Ensure(RecordBatch.LogOverhead))
        {
            return ScanStatus.Incomplete;
        }

        var header = _buffer.AsSpan((int)(Position - _bufferStart));
        var length = (long)RecordBatch.BatchLength(header) + RecordBatch.LogOverhead;
        if (length < RecordBatch.HeaderSize)
        {
            return ScanStatus.Corrupt;
        }

        if (length > remaining || !Ensure(_headersOnly ? RecordBatch.HeaderSize : (int)length))
        {
            return ScanStatus.Incomplete;
        }

        if (RecordBatch.Magic(_buffer.AsSpan((int)(Position - _bufferStart))) != RecordBatch.CurrentMagic)
        {
            return ScanStatus.Corrupt;
        }

        _batchLength = (int)length;
        return ScanStatus.Batch;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>Makes <paramref name="count"/> bytes from <see cref="Position"/> available in the buffer.</summary>
    private bool Ensure(int count)
    {
        var offsetInBuffer = Position - _bufferStart;
        if (offsetInBuffer + count <= _bufferLength)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(count);
        }

        _bufferStart = Position;
        var toRead = (int)Math.Min(_buffer.Length, _end - Position);
        _bufferLength = 0;
        while (_bufferLength < toRead)
        {
            var read = RandomAccess.Read(_file, _buffer.AsSpan(_bufferLength, toRead - _bufferLength), _bufferStart + _bufferLength);
            if (read == 0)
            {
                break;
            }

            _bufferLength += read;
        }

        return count <= _bufferLength;
    }
}
