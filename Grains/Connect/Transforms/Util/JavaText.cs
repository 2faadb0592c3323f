using System.Collections;
using System.Globalization;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Small pieces of Java behaviour that configurations and values depend on: <c>String.split</c> (which drops trailing
/// empty parts), <c>Double.toString</c>/<c>Float.toString</c> (always a decimal point, scientific notation outside
/// [10^-3, 10^7)), and the Connect type of a schemaless value (<c>ConnectSchema.schemaType</c>).
/// </summary>
public static class JavaText
{
    /// <summary>Splits like Java's <c>String.split</c> with a one-character literal: trailing empty parts are dropped.</summary>
    public static string[] Split(string text, char separator)
    {
        var parts = text.Split(separator);
        var count = parts.Length;
        while (count > 1 && parts[count - 1].Length == 0)
        {
            count--;
        }

        // "".split(":") is [""] in Java, but ":".split(":") is [].
        if (count == 1 && parts[0].Length == 0 && parts.Length > 1)
        {
            count = 0;
        }

        return parts[..count];
    }

    public static string FormatDouble(double value) => JavaNumberFormat.Double(value);

    public static string FormatFloat(float value) => JavaNumberFormat.Float(value);

    /// <summary>A scalar as Java's <c>toString</c> writes it (numbers, booleans and strings); other values as Connect formats them.</summary>
    public static string ToJavaString(object value) => value switch
    {
        double d => FormatDouble(d),
        float f => FormatFloat(f),
        bool b => b ? "true" : "false",
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => ConnectValues.Format(value),
    };

    /// <summary>The Connect type a schemaless value has, or null for a value Connect has no type for.</summary>
    public static SchemaType? InferType(object value) => value switch
    {
        sbyte => SchemaType.Int8,
        short => SchemaType.Int16,
        int => SchemaType.Int32,
        long => SchemaType.Int64,
        float => SchemaType.Float32,
        double => SchemaType.Float64,
        bool => SchemaType.Boolean,
        string => SchemaType.String,
        byte[] => SchemaType.Bytes,
        Struct => SchemaType.Struct,
        IDictionary => SchemaType.Map,
        IList => SchemaType.Array,
        _ => null,
    };
}
