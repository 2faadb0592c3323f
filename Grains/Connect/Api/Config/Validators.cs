using System.Globalization;

namespace Tributary.Grains.Connect.Api.Config;

/// <summary>Kafka's stock validators, with its messages.</summary>
public static class Validators
{
    /// <summary>A number at least <paramref name="min"/> (Kafka's <c>Range.atLeast</c>).</summary>
    public static IConfigValidator AtLeast(double min) => new Range(min, null);

    /// <summary>A number within [min, max] (Kafka's <c>Range.between</c>).</summary>
    public static IConfigValidator Between(double min, double max) => new Range(min, max);

    /// <summary>One of the given strings, case-sensitive (Kafka's <c>ValidString.in</c>).</summary>
    public static IConfigValidator In(params string[] values) => new OneOf(values, StringComparer.Ordinal);

    /// <summary>One of the given strings, any case (Kafka's <c>CaseInsensitiveValidString</c>).</summary>
    public static IConfigValidator InIgnoringCase(params string[] values) => new OneOfIgnoringCase(values);

    /// <summary>Every element of a list is one of the given strings (Kafka's <c>ValidList.in</c>).</summary>
    public static IConfigValidator ListOf(params string[] values) => new ListOfValues(values);

    /// <summary>A string that is neither null nor empty (Kafka's <c>NonEmptyString</c>).</summary>
    public static readonly IConfigValidator NonEmptyString = new Lambda(
        (name, value) =>
        {
            if (value is string { Length: 0 })
            {
                throw new ConfigException(name, value, "String must be non-empty");
            }
        },
        () => "non-empty string");

    /// <summary>Any value but null (Kafka's <c>NonNullValidator</c>).</summary>
    public static readonly IConfigValidator NonNull = new Lambda(
        (name, value) =>
        {
            if (value is null)
            {
                throw new ConfigException(name, value, "entry must be non null");
            }
        },
        () => "non-null string");

    /// <summary>A validator from a function (Kafka's <c>LambdaValidator</c>).</summary>
    public static IConfigValidator From(Action<string, object?> check, string description = "") => new Lambda(check, () => description);

    /// <summary>Every validator in turn (Kafka's <c>CompositeValidator</c>).</summary>
    public static IConfigValidator All(params IConfigValidator[] validators) => new Lambda(
        (name, value) =>
        {
            foreach (var v in validators)
            {
                v.EnsureValid(name, value);
            }
        },
        () => string.Join(", ", validators.Select(v => v.Describe())));

    private sealed class Range(double min, double? max) : IConfigValidator
    {
        public void EnsureValid(string name, object? value)
        {
            if (value is null)
            {
                throw new ConfigException(name, null, "Value must be non-null");
            }

            var n = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (n < min)
            {
                throw new ConfigException(name, value, "Value must be at least " + Show(min));
            }

            if (max is { } m && n > m)
            {
                throw new ConfigException(name, value, "Value must be no more than " + Show(m));
            }
        }

        public string Describe() => max is { } m ? $"[{Show(min)},...,{Show(m)}]" : $"[{Show(min)},...]";

        private static string Show(double d) => d.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class OneOf(string[] values, StringComparer comparer) : IConfigValidator
    {
        public void EnsureValid(string name, object? value)
        {
            if (value is not string s || !values.Contains(s, comparer))
            {
                throw new ConfigException(name, value, "String must be one of: " + string.Join(", ", values));
            }
        }

        public string Describe() => "[" + string.Join(", ", values) + "]";
    }

    /// <summary>
    /// Kafka's <c>CaseInsensitiveValidString</c>: it keeps the allowed values upper-cased in a <c>HashSet</c>, and its
    /// message lists them in that set's order, which <see cref="JavaHashSetOrder"/> reproduces.
    /// </summary>
    private sealed class OneOfIgnoringCase(string[] values) : IConfigValidator
    {
        private readonly string[] _upper = JavaHashSetOrder(values.Select(v => v.ToUpperInvariant()));

        public void EnsureValid(string name, object? value)
        {
            if (value is not string s || !_upper.Contains(s.ToUpperInvariant(), StringComparer.Ordinal))
            {
                throw new ConfigException(name, value, "String must be one of (case insensitive): " + string.Join(", ", _upper));
            }
        }

        public string Describe() => "(case insensitive) [" + string.Join(", ", _upper) + "]";
    }

    /// <summary>The distinct strings in the order a <c>java.util.HashSet</c> built from them iterates (bucket, then insertion).</summary>
    private static string[] JavaHashSetOrder(IEnumerable<string> strings)
    {
        var distinct = strings.Distinct(StringComparer.Ordinal).ToList();
        var capacity = 16;
        while (distinct.Count > capacity * 3 / 4)
        {
            capacity *= 2;
        }

        return [.. distinct.Select((s, i) => (s, i, Bucket: Spread(JavaHash(s)) & (capacity - 1)))
            .OrderBy(e => e.Bucket).ThenBy(e => e.i).Select(e => e.s)];

        static int JavaHash(string s)
        {
            var h = 0;
            foreach (var c in s)
            {
                h = unchecked((31 * h) + c);
            }

            return h;
        }

        static int Spread(int h) => h ^ (int)((uint)h >> 16);
    }

    private sealed class ListOfValues(string[] values) : IConfigValidator
    {
        public void EnsureValid(string name, object? value)
        {
            if (value is not IEnumerable<string> list)
            {
                throw new ConfigException(name, value, "Value must be a list");
            }

            foreach (var item in list)
            {
                if (!values.Contains(item, StringComparer.Ordinal))
                {
                    throw new ConfigException(name, item, "String must be one of: " + string.Join(", ", values));
                }
            }
        }

        public string Describe() => "[" + string.Join(", ", values) + "]";
    }

    private sealed class Lambda(Action<string, object?> check, Func<string> describe) : IConfigValidator
    {
        public void EnsureValid(string name, object? value) => check(name, value);

        public string Describe() => describe();
    }
}
