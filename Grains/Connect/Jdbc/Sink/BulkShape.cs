using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// What a write statement does, for a dialect that can write many rows of it at once (<see cref="IBulkRowWriter"/>):
/// its mode, its table, the columns its parameters fill, in parameter order, and which of them are the key.
/// </summary>
public sealed record BulkShape(InsertMode Mode, TableId Table, IReadOnlyList<string> Columns, IReadOnlyList<int> KeyIndexes);
