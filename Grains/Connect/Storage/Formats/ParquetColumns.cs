using Parquet;
using Parquet.Schema;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// The values of one top-level Parquet column of a flat schema (no struct, list or map), kept typed as Parquet.Net's
/// column writer takes them: a value type in an array of itself (nullable when the field is optional), strings and
/// byte arrays as they are, strings copied into shared character blocks. A file of flat rows is written column by
/// column from these, without a row object per record, which is what keeps a file's records cheap to hold until it is
/// closed. Not thread-safe.
/// </summary>
internal abstract class ParquetColumn
{
    public abstract void Add(object? value);

    public abstract Task WriteAsync(ParquetRowGroupWriter group, DataField field, int offset, int count, CancellationToken cancellationToken);

    public abstract void Clear();

    /// <summary>A column for the field's values, of the type <c>DataField.ClrType</c> and its nullability say (strings and bytes as they are).</summary>
    public static ParquetColumn For(DataField field)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            return field.IsNullable ? new Strings<ReadOnlyMemory<char>?, OptionalSlices>() : new Strings<ReadOnlyMemory<char>, RequiredSlices>();
        }

        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>))
        {
            return new References<byte[]>(async (g, f, values, ct) => await g.WriteAsync(f, values, null).ConfigureAwait(false));
        }

        var column = field.IsNullable ? typeof(Nullables<>).MakeGenericType(type) : typeof(Values<>).MakeGenericType(type);
        return (ParquetColumn)Activator.CreateInstance(column)!;
    }

    private sealed class Values<T> : ParquetColumn
        where T : struct
    {
        private T[] _values = new T[1024];
        private int _count;

        public override void Add(object? value)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = (T)value!;
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field, int offset, int count, CancellationToken cancellationToken) =>
            group.WriteAsync(field, new ReadOnlyMemory<T>(_values, offset, count), null, null, cancellationToken);

        public override void Clear() => _count = 0;
    }

    private sealed class Nullables<T> : ParquetColumn
        where T : struct
    {
        private T?[] _values = new T?[1024];
        private int _count;

        public override void Add(object? value)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = (T?)value;
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field, int offset, int count, CancellationToken cancellationToken) =>
            group.WriteAsync(field, new ReadOnlyMemory<T?>(_values, offset, count), null, null, cancellationToken);

        public override void Clear() => _count = 0;
    }

    private sealed class References<T>(Func<ParquetRowGroupWriter, DataField, IReadOnlyCollection<T>, CancellationToken, Task> write) : ParquetColumn
        where T : class
    {
        private T[] _values = new T[1024];
        private int _count;

        public override void Add(object? value)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            _values[_count++] = (T)value!; // a null stays null: Parquet.Net takes null references for optional fields
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field, int offset, int count, CancellationToken cancellationToken) =>
            write(group, field, new ArraySegment<T>(_values, offset, count), cancellationToken);

        public override void Clear()
        {
            Array.Clear(_values, 0, _count);
            _count = 0;
        }
    }

    /// <summary>How a string column holds its slices and writes them: <typeparamref name="TSlice"/> nullable for an optional field.</summary>
    private interface ISlices<TSlice>
    {
        static abstract TSlice Slice(ReadOnlyMemory<char>? slice);

        static abstract Task WriteAsync(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<TSlice> values, CancellationToken cancellationToken);
    }

    private readonly struct OptionalSlices : ISlices<ReadOnlyMemory<char>?>
    {
        public static ReadOnlyMemory<char>? Slice(ReadOnlyMemory<char>? slice) => slice;

        // The overload of nullable values.
        public static Task WriteAsync(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<ReadOnlyMemory<char>?> values, CancellationToken cancellationToken) =>
            group.WriteAsync<ReadOnlyMemory<char>>(field, values, null, null, cancellationToken);
    }

    private readonly struct RequiredSlices : ISlices<ReadOnlyMemory<char>>
    {
        public static ReadOnlyMemory<char> Slice(ReadOnlyMemory<char>? slice) =>
            slice ?? throw new InvalidCastException("A null value in a required string column.");

        public static Task WriteAsync(ParquetRowGroupWriter group, DataField field, ReadOnlyMemory<ReadOnlyMemory<char>> values, CancellationToken cancellationToken) =>
            group.WriteAsync(field, values, null, null, cancellationToken);
    }

    /// <summary>
    /// Strings as slices of large character blocks, the form Parquet.Net writes them in (<typeparamref name="TSlice"/>
    /// is the slice, nullable for an optional field): a file holds a column's values until it is closed, and a string
    /// object per value kept that long is promoted through the collector's generations, then collected in the oldest,
    /// which for a sink of small records is most of the collector's work. Some blocks are kept for the next file. The
    /// slice's form comes from <typeparamref name="TSlices"/>' static members, which the JIT inlines for each form: as
    /// delegates, their calls were about two percent of a Parquet sink's samples.
    /// </summary>
    private sealed class Strings<TSlice, TSlices> : ParquetColumn
        where TSlices : struct, ISlices<TSlice>
    {
        private const int BlockChars = 32 * 1024; // 64 KB: small enough to stay out of the large-object heap
        // 16 MB kept for the next file, what a file of 100,000 strings of up to 80 characters fills: blocks a file needs
        // beyond those kept are new ones, which live until it closes, long enough to be copied into the collector's
        // older generations (with 4 MB kept, storage-perf's orders, notes of 34 characters, made 10 gen1 collections per
        // million records instead of 6).
        private const int KeptBlocks = 256;

        private readonly List<char[]> _blocks = [];
        private TSlice[] _values = new TSlice[1024];
        private int _count;
        private int _block;
        private int _used;

        public override void Add(object? value)
        {
            if (_count == _values.Length)
            {
                Array.Resize(ref _values, _values.Length * 2);
            }

            // Typed: a bare null would convert to an empty slice through ReadOnlyMemory's conversion from arrays.
            _values[_count++] = TSlices.Slice(value is string text ? Copy(text) : (ReadOnlyMemory<char>?)null);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, DataField field, int offset, int count, CancellationToken cancellationToken) =>
            TSlices.WriteAsync(group, field, new ReadOnlyMemory<TSlice>(_values, offset, count), cancellationToken);

        public override void Clear()
        {
            Array.Clear(_values, 0, _count);
            _count = 0;
            _block = 0;
            _used = 0;
            if (_blocks.Count > KeptBlocks)
            {
                _blocks.RemoveRange(KeptBlocks, _blocks.Count - KeptBlocks);
            }
        }

        private ReadOnlyMemory<char> Copy(string text)
        {
            if (text.Length > BlockChars)
            {
                return text.AsMemory(); // a long string is its own block
            }

            if (_blocks.Count == 0 || _used + text.Length > BlockChars)
            {
                if (_blocks.Count > 0)
                {
                    _block++;
                }

                if (_block == _blocks.Count)
                {
                    _blocks.Add(new char[BlockChars]);
                }

                _used = 0;
            }

            var block = _blocks[_block];
            text.CopyTo(block.AsSpan(_used));
            var copied = new ReadOnlyMemory<char>(block, _used, text.Length);
            _used += text.Length;
            return copied;
        }
    }
}
