using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>Validators the transforms share (Kafka's <c>NonEmptyListValidator</c> and <c>RegexValidator</c>, and a null-tolerant non-empty string).</summary>
public static class TransformValidators
{
    /// <summary>A list with at least one element.</summary>
    public static readonly IConfigValidator NonEmptyList = Validators.From(
        (name, value) =>
        {
            if (value is not IReadOnlyCollection<string> { Count: > 0 })
            {
                throw new ConfigException(name, value, "Empty list");
            }
        },
        "non-empty list");

    /// <summary>A regular expression that compiles (Java syntax, see <see cref="JavaRegex"/>).</summary>
    public static readonly IConfigValidator Regex = Validators.From(
        (name, value) =>
        {
            try
            {
                JavaRegex.Compile((string?)value ?? throw new ArgumentException("null pattern"));
            }
            catch (ArgumentException e)
            {
                throw new ConfigException(name, value, "Invalid regex: " + e.Message);
            }
        },
        "valid regex");

    /// <summary>
    /// Null or a non-empty string. Kafka's <c>NonEmptyString</c> lets null through, so an optional key defaulting to
    /// null can use it; the Api's <see cref="Validators.NonEmptyString"/> refuses null, hence this one.
    /// </summary>
    public static readonly IConfigValidator NullOrNonEmptyString = Validators.From(
        (name, value) =>
        {
            if (value is string { Length: 0 })
            {
                throw new ConfigException(name, value, "String must be non-empty");
            }
        },
        "non-empty string");
}
