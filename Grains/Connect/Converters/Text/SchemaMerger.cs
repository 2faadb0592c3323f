using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Finds the one schema that fits every parsed element of a list or map (Kafka's <c>Values.SchemaMerger</c>): nulls
/// fit anything; numbers widen (int8 to int16 ... to float64, and float32 takes any integer); values of any other
/// differing types have no common schema, and once lost it stays lost.
/// </summary>
internal sealed class SchemaMerger
{
    private Schema? _common;
    private bool _compatible = true;

    public bool HasCommonSchema => _common is not null;

    public Schema? Schema => _common;

    public void Merge(SchemaAndValue? latest)
    {
        if (latest?.Schema is null || !_compatible)
        {
            return;
        }

        if (_common is null)
        {
            _common = latest.Schema;
            return;
        }

        _common = MergeSchemas(_common, latest.Schema);
        _compatible = _common is not null;
    }

    private static Schema? MergeSchemas(Schema previous, Schema next)
    {
        if (previous.Type != next.Type)
        {
            var widened = Rank(next.Type) > Rank(previous.Type) ? next : previous;
            return Rank(previous.Type) > 0 && Rank(next.Type) > 0 ? widened : null;
        }

        if (previous.IsOptional == next.IsOptional)
        {
            return previous.IsOptional ? previous : next;
        }

        return previous.Equals(next) ? previous : null;
    }

    /// <summary>The numeric types in widening order; 0 for the rest, which never merge with another type.</summary>
    private static int Rank(SchemaType type) => type switch
    {
        SchemaType.Int8 => 1,
        SchemaType.Int16 => 2,
        SchemaType.Int32 => 3,
        SchemaType.Int64 => 4,
        SchemaType.Float32 => 5,
        SchemaType.Float64 => 6,
        _ => 0,
    };
}
