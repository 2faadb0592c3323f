using System.Numerics;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Tests.Connect.Api.Text;

/// <summary>Numbers printed as Java's Double.toString, Float.toString and BigDecimal.toString print them.</summary>
public sealed class JavaNumberFormatTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(9999999.0, "9999999.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(0.00123, "0.00123")]
    [InlineData(0.000999, "9.99E-4")]
    [InlineData(123456789012.0, "1.23456789012E11")]
    [InlineData(2.2250738585072014E-308, "2.2250738585072014E-308")]
    [InlineData(1e-320, "1.0E-320")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Double_MatchesJavasDoubleToString(double value, string expected)
    {
        Assert.Equal(expected, JavaNumberFormat.Double(value));
    }

    [Theory]
    [InlineData(1.1f, "1.1")]
    [InlineData(-0.0f, "-0.0")]
    [InlineData(1.17549435E-38f, "1.1754944E-38")]
    [InlineData(1e-3f, "0.001")]
    [InlineData(float.NaN, "NaN")]
    public void Float_MatchesJavasFloatToString(float value, string expected)
    {
        Assert.Equal(expected, JavaNumberFormat.Float(value));
    }

    [Theory]
    [InlineData("156", 2, "1.56")]
    [InlineData("-156", 5, "-0.00156")]
    [InlineData("0", 7, "0E-7")]
    [InlineData("12", 8, "1.2E-7")]
    [InlineData("1", 6, "0.000001")]
    [InlineData("123", -3, "1.23E+5")]
    [InlineData("9223372036854775808", 0, "9223372036854775808")]
    public void BigDecimal_MatchesJavasBigDecimalToString(string unscaled, int scale, string expected)
    {
        Assert.Equal(expected, JavaNumberFormat.BigDecimal(BigInteger.Parse(unscaled), scale));
    }

    [Fact]
    public void Decimal_KeepsItsScale()
    {
        Assert.Equal("1.5600", JavaNumberFormat.Decimal(1.5600m));
        Assert.Equal("-0.5", JavaNumberFormat.Decimal(-0.5m));
    }
}
