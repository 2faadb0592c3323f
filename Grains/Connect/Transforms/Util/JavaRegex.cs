using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Java regular expressions on .NET. The syntax of the two engines agrees on everything connector configurations use
/// (classes, groups, named groups <c>(?&lt;name&gt;…)</c>, quantifiers, anchors); Java's possessive quantifiers and a
/// few rare constructs are not supported and fail to compile. Java's <c>Matcher.matches()</c> means a whole-string
/// match, hence <see cref="IsFullMatch"/>, and Java's replacement syntax (<c>$1</c>, <c>${name}</c>, <c>\$</c>)
/// differs from .NET's, hence <see cref="TranslateReplacement"/>.
/// </summary>
public sealed class JavaRegex
{
    private readonly Regex _whole;

    private JavaRegex(string pattern)
    {
        Pattern = pattern;
        Search = new Regex(pattern, RegexOptions.CultureInvariant);

        // Java's matches() tries to match the whole input, backtracking into alternatives a plain search would skip;
        // an anchored copy of the pattern does the same.
        _whole = new Regex(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    /// <summary>The pattern for searching (Java's <c>find()</c>).</summary>
    public Regex Search { get; }

    /// <summary>The pattern compiled; throws <see cref="ArgumentException"/> when it is not a valid expression.</summary>
    public static JavaRegex Compile(string pattern) => new(pattern);

    /// <summary>Whether the whole of <paramref name="input"/> matches (Java's <c>matches()</c>).</summary>
    public bool Matches(string input) => _whole.IsMatch(input);

    /// <summary>The input with its first match replaced (Java's <c>replaceFirst</c>), given a translated replacement.</summary>
    public string ReplaceFirst(string input, string dotnetReplacement) => Search.Replace(input, dotnetReplacement, 1);

    public override string ToString() => Pattern;

    /// <summary>A .NET replacement pattern equivalent to Java's <paramref name="replacement"/> for this pattern.</summary>
    public string TranslateReplacement(string replacement)
    {
        var regex = Search;
        var result = new StringBuilder(replacement.Length + 8);
        var groupCount = regex.GetGroupNumbers().Length - 1;
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '\\')
            {
                i++;
                if (i >= replacement.Length)
                {
                    throw new ArgumentException("character to be escaped is missing");
                }

                AppendLiteral(result, replacement[i]);
            }
            else if (c == '$')
            {
                i++;
                if (i >= replacement.Length)
                {
                    throw new ArgumentException("Illegal group reference: group index is missing");
                }

                if (replacement[i] == '{')
                {
                    var close = replacement.IndexOf('}', i);
                    if (close < 0)
                    {
                        throw new ArgumentException("named capturing group is missing trailing '}'");
                    }

                    var name = replacement[(i + 1)..close];
                    if (regex.GroupNumberFromName(name) < 0)
                    {
                        throw new ArgumentException("No group with name {" + name + "}");
                    }

                    result.Append("${").Append(name).Append('}');
                    i = close;
                }
                else if (char.IsAsciiDigit(replacement[i]))
                {
                    // Java takes the first digit, then more digits while the number still names an existing group.
                    var group = replacement[i] - '0';
                    while (i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]) &&
                           group * 10 + (replacement[i + 1] - '0') <= groupCount)
                    {
                        group = group * 10 + (replacement[i + 1] - '0');
                        i++;
                    }

                    if (group > groupCount)
                    {
                        throw new ArgumentException("No group " + group);
                    }

                    result.Append("${").Append(group).Append('}');
                }
                else
                {
                    throw new ArgumentException("Illegal group reference");
                }
            }
            else
            {
                AppendLiteral(result, c);
            }
        }

        return result.ToString();
    }

    private static void AppendLiteral(StringBuilder result, char c)
    {
        if (c == '$')
        {
            result.Append("$$");
        }
        else
        {
            result.Append(c);
        }
    }
}
