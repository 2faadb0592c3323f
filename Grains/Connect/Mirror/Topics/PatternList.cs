using System.Text.RegularExpressions;
using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Mirror.Topics;

/// <summary>
/// A comma-separated list of names and regular expressions as MirrorMaker reads it (<c>MirrorUtils.compilePatternList</c>):
/// one alternation that must match the whole name. An empty list matches nothing, although an empty pattern would match
/// everything.
/// </summary>
internal sealed class PatternList
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;

    public PatternList(IReadOnlyList<string> patterns)
    {
        var fields = patterns.Where(p => p.Length > 0).ToList();
        _regex = fields.Count == 0
            ? null
            : new Regex(@"\A(?:" + string.Join("|", fields) + @")\z", RegexOptions.CultureInvariant, MatchTimeout);
    }

    /// <summary>Checks that every element of a list configuration is a valid regular expression.</summary>
    public static readonly IConfigValidator Validator = Validators.From(
        (name, value) =>
        {
            foreach (var pattern in value as IReadOnlyList<string> ?? [])
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
                }
                catch (ArgumentException e)
                {
                    throw new ConfigException(name, value, $"'{pattern}' is not a valid regular expression: {e.Message}");
                }
            }
        },
        "comma-separated regular expressions");

    public bool Matches(string name) => _regex?.IsMatch(name) ?? false;
}
