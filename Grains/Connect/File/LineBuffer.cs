using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// Bytes read from the file but not yet handed out as lines. Lines end at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>,
/// as in Kafka's task; splitting works on bytes, which is safe for UTF-8 because neither byte occurs inside a multi-byte
/// character, and gives the exact byte length each line took in the file. Like Kafka's, the buffer doubles only when it
/// is full of one unfinished line.
/// </summary>
internal sealed class LineBuffer(int initialSize)
{
    private byte[] _bytes = new byte[initialSize];
    private int _start;
    private int _end;

    public int Capacity => _bytes.Length;

    /// <summary>Where the next read goes: unread bytes are moved to the front first, and the buffer grows if still full.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }

        return _bytes.AsMemory(_end);
    }

    /// <summary>Counts <paramref name="count"/> bytes just read into <see cref="FreeSpace"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>The next complete line, without its terminator, and how many bytes it took including the terminator.</summary>
    public bool TryTakeLine([NotNullWhen(true)] out string? line, out int length)
    {
        line = null;
        length = 0;
        var pending = _bytes.AsSpan(_start, _end - _start);
        var end = pending.IndexOfAny((byte)'\n', (byte)'\r');
        if (end < 0)
        {
            return false;
        }

        var terminator = 1;
        if (pending[end] == (byte)'\r')
        {
            // A trailing \r may be the first half of \r\n: wait for the next byte before deciding.
            if (end + 1 == pending.Length)
            {
                return false;
            }

            if (pending[end + 1] == (byte)'\n')
            {
                terminator = 2;
            }
        }

        line = Encoding.UTF8.GetString(pending[..end]);
        length = end + terminator;
        _start += length;
        return true;
    }
}
