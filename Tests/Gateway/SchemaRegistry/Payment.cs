using Avro;
using Avro.Specific;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// A specific record in the shape Apache.Avro's code generator (avrogen) gives <see cref="Schemas.PaymentV2"/>: the
/// schema as a static field, fields by position through <see cref="ISpecificRecord"/>.
/// </summary>
public sealed class Payment : ISpecificRecord
{
    public static readonly Avro.Schema _SCHEMA = Avro.Schema.Parse(Schemas.PaymentV2);

    public Avro.Schema Schema => _SCHEMA;

    public string id { get; set; } = "";

    public double amount { get; set; }

    public string currency { get; set; } = "EUR";

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => id,
        1 => amount,
        2 => currency,
        _ => throw new AvroRuntimeException("Bad index " + fieldPos + " in Get()"),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: id = (string)fieldValue; break;
            case 1: amount = (double)fieldValue; break;
            case 2: currency = (string)fieldValue; break;
            default: throw new AvroRuntimeException("Bad index " + fieldPos + " in Put()");
        }
    }
}
