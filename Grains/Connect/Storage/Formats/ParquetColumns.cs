using Parquet;
using Parquet.Schema;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// The values of one top-level Parquet column of a flat schema (no struct, list or map), kept typed as Parquet.Net's
/// column writer takes them: a value type in an array of itself (nullable when the field is optional), strings and
/// byte arrays as they are. A file of flat rows is written column by column from these, without a row object per
/// record, which is what keeps a file's records cheap to hold until it is closed. Not thread-safe.
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
            return new References<string>(async (g, f, values, ct) => await g.WriteAsync(f, values, null).ConfigureAwait(false));
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
}
