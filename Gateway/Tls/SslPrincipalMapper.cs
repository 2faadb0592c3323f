using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Gateway.Tls;

/// <summary>
/// Kafka's <c>ssl.principal.mapping.rules</c>: a comma-separated list of <c>DEFAULT</c> (the distinguished name as it is)
/// and <c>RULE:pattern/replacement/[L|U]</c> (when the pattern matches the whole name, the name with each match
/// replaced, <c>$n</c> naming a group, then lower- or upper-cased). The first rule that applies names the principal;
/// when none applies the client is not authenticated. Patterns are .NET regular expressions, which read Kafka's usual
/// rules (<c>^CN=(.*?),OU=ServiceUsers.*$</c>) as Java does.
/// </summary>
public sealed partial class SslPrincipalMapper
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<Rule> _rules;

    private SslPrincipalMapper(IReadOnlyList<Rule> rules) => _rules = rules;

    /// <summary>Reads the rules; throws <see cref="ArgumentException"/> naming a rule that is neither form.</summary>
    public static SslPrincipalMapper Parse(string? rules)
    {
        var parsed = new List<Rule>();
        foreach (Match split in Splitter().Matches((rules ?? "DEFAULT").Trim()))
        {
            var text = split.Groups[1].Value;
            var rule = Parser().Match(text);
            if (!rule.Success || rule.Index != 0 || rule.Length != text.Length)
            {
                throw new ArgumentException($"Invalid rule: `{text}`.");
            }

            if (rule.Groups[1].Success)
            {
                parsed.Add(new Rule(null, null, "", false, false));
            }
            else if (rule.Groups[2].Success)
            {
                var pattern = rule.Groups[2].Value;
                var regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
                // .NET numbers named groups after the others, Java in order: $n would name another group here.
                if (regex.GetGroupNames().Any(name => !int.TryParse(name, out _)))
                {
                    throw new ArgumentException($"Invalid rule: `{text}`: named groups are not served; use numbered ones.");
                }

                parsed.Add(new Rule(
                    regex,
                    new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant, MatchTimeout),
                    rule.Groups[4].Value,
                    rule.Groups[6].Value == "L",
                    rule.Groups[6].Value == "U"));
            }

            // An empty rule (two commas, a trailing comma) is no rule, as in Kafka.
        }

        return new SslPrincipalMapper(parsed);
    }

    /// <summary>The principal's name for <paramref name="distinguishedName"/> (RFC 2253), or null when no rule applies.</summary>
    public string? Map(string distinguishedName)
    {
        foreach (var rule in _rules)
        {
            if (rule.Apply(distinguishedName) is { } name)
            {
                return name;
            }
        }

        return null;
    }

    // Kafka's rule grammar: DEFAULT, or RULE: with a pattern and a replacement in which a backslash escapes a slash.
    [GeneratedRegex(@"(DEFAULT)|RULE:((\\.|[^\\/])*)/((\\.|[^\\/])*)/([LU]?).*?|(.*?)")]
    private static partial Regex Parser();

    [GeneratedRegex(@"\s*((DEFAULT)|RULE:((\\.|[^\\/])*)/((\\.|[^\\/])*)/([LU]?).*?|(.*?))\s*(,\s*|$)")]
    private static partial Regex Splitter();

    /// <param name="Pattern">The rule's pattern, for the replacement; null for DEFAULT.</param>
    /// <param name="Whole">The pattern anchored at both ends: whether it matches the whole name, as Java's <c>matches()</c>.</param>
    private sealed record Rule(Regex? Pattern, Regex? Whole, string Replacement, bool Lower, bool Upper)
    {
        public string? Apply(string name)
        {
            if (Pattern is null || Whole is null)
            {
                return name;
            }

            if (!Whole.IsMatch(name))
            {
                return null;
            }

            var groups = Pattern.GetGroupNumbers().Length - 1;
            var result = Pattern.Replace(name, match => Expand(match, groups));
            return Lower ? result.ToLowerInvariant() : Upper ? result.ToUpperInvariant() : result;
        }

        /// <summary>
        /// The replacement as Java expands it: <c>\x</c> is x, <c>$n</c> a group, with further digits taken while they
        /// still name a group; a <c>$n</c> beyond the groups stays as written, as Kafka escapes it.
        /// </summary>
        private string Expand(Match match, int groups)
        {
            var text = new StringBuilder();
            for (var i = 0; i < Replacement.Length; i++)
            {
                var c = Replacement[i];
                if (c == '\\' && i + 1 < Replacement.Length)
                {
                    text.Append(Replacement[++i]);
                }
                else if (c == '$' && i + 1 < Replacement.Length && char.IsAsciiDigit(Replacement[i + 1]) && Replacement[i + 1] - '0' <= groups)
                {
                    var group = Replacement[++i] - '0';
                    while (i + 1 < Replacement.Length && char.IsAsciiDigit(Replacement[i + 1]) && group * 10 + (Replacement[i + 1] - '0') <= groups)
                    {
                        group = group * 10 + (Replacement[++i] - '0');
                    }

                    text.Append(match.Groups[group].Value);
                }
                else
                {
                    text.Append(c);
                }
            }

            return text.ToString();
        }

        public override string ToString() => Pattern is null ? "DEFAULT" : string.Create(CultureInfo.InvariantCulture, $"RULE:{Pattern}/{Replacement}");
    }
}
