using System.Collections;
using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// A path of one or more field names into a struct or a schemaless map (Kafka's <c>SingleFieldPath</c>, KIP-821).
/// Under <see cref="FieldSyntaxVersion.V2"/> steps are separated by dots; a step wrapped in backticks may contain dots,
/// and a backtick inside such a step is escaped with a backslash when it is followed by a dot.
/// </summary>
public sealed class SingleFieldPath : IEquatable<SingleFieldPath>
{
    private const char Backtick = '`';
    private const char Dot = '.';
    private const char Backslash = '\\';

    private readonly string[] _steps;

    public SingleFieldPath(string pathText, FieldSyntaxVersion version)
    {
        Version = version;
        _steps = version == FieldSyntaxVersion.V1 ? [pathText] : ParseV2(pathText);
    }

    public FieldSyntaxVersion Version { get; }

    public IReadOnlyList<string> Steps => _steps;

    private string LastStep => _steps[^1];

    /// <summary>The field at this path in <paramref name="schema"/>, or null when a step is missing.</summary>
    public Field? FieldFrom(Schema? schema)
    {
        if (schema is null)
        {
            return null;
        }

        var current = schema;
        foreach (var step in _steps.AsSpan(0, _steps.Length - 1))
        {
            var field = current.Field(step);
            if (field is null)
            {
                return null;
            }

            current = field.Schema;
        }

        return current.Field(LastStep);
    }

    /// <summary>The value at this path, or null when a step is missing or null; a null field reads as its default unless told not to.</summary>
    public object? ValueFrom(Struct? value, bool withDefault = true)
    {
        if (value is null)
        {
            return null;
        }

        var current = value;
        foreach (var step in _steps.AsSpan(0, _steps.Length - 1))
        {
            if (current.Schema.Field(step) is null)
            {
                return null;
            }

            current = Requirements.RequireStructOrNull(current.Get(step), "nested field access");
            if (current is null)
            {
                return null;
            }
        }

        if (current.Schema.Field(LastStep) is null)
        {
            return null;
        }

        return withDefault ? current.Get(LastStep) : current.GetWithoutDefault(LastStep);
    }

    /// <summary>The value at this path in a schemaless map, or null when a step is missing or null.</summary>
    public object? ValueFrom(IDictionary? map)
    {
        if (map is null)
        {
            return null;
        }

        var current = map;
        foreach (var step in _steps.AsSpan(0, _steps.Length - 1))
        {
            current = Requirements.RequireMapOrNull(SchemalessMaps.Get(current, step), "nested field access");
            if (current is null)
            {
                return null;
            }
        }

        return SchemalessMaps.Get(current, LastStep);
    }

    public bool Equals(SingleFieldPath? other) => other is not null && _steps.AsSpan().SequenceEqual(other._steps);

    public override bool Equals(object? obj) => obj is SingleFieldPath other && Equals(other);

    public override int GetHashCode() => _steps.Aggregate(0, (hash, step) => HashCode.Combine(hash, step));

    public override string ToString() => $"SingleFieldPath{{version={Version}, path={string.Join(".", _steps)}}}";

    private static string[] ParseV2(string path)
    {
        var steps = new List<string>();
        var idx = 0;
        while (idx < path.Length)
        {
            if (path[idx] != Backtick)
            {
                var start = idx;
                idx = path.IndexOf(Dot, idx);
                if (idx >= 0)
                {
                    steps.Add(path[start..idx]);
                    idx++;
                }
                else
                {
                    steps.Add(path[start..]);
                    idx = path.Length;
                }

                continue;
            }

            idx = ReadQuotedStep(path, idx, steps);
        }

        // A trailing dot names an empty last step, as in Kafka.
        if (path.Length > 0 && path[^1] == Dot)
        {
            steps.Add("");
        }

        return [.. steps];
    }

    /// <summary>Reads a backtick-quoted step starting at <paramref name="backtickAt"/>; returns the index after it and its dot.</summary>
    private static int ReadQuotedStep(string path, int backtickAt, List<string> steps)
    {
        var idx = backtickAt + 1;
        var start = idx;
        var field = new StringBuilder();
        while (true)
        {
            idx = path.IndexOf(Backtick, idx);
            if (idx == -1)
            {
                throw IncompleteBacktickPair(path, backtickAt);
            }

            var escaped = path[idx - 1] == Backslash;
            if (idx >= path.Length - 1)
            {
                // The closing backtick ends the path; an escaped one leaves the pair open.
                if (escaped)
                {
                    throw IncompleteBacktickPair(path, backtickAt);
                }

                field.Append(path, start, idx - start);
                steps.Add(field.ToString());
                return idx + 1;
            }

            if (path[idx + 1] != Dot)
            {
                // A backtick inside the name: keep looking for one that is followed by a dot.
                idx++;
                continue;
            }

            if (escaped)
            {
                field.Append(path, start, idx - 1 - start).Append(Backtick);
                idx++;
                start = idx;
                continue;
            }

            field.Append(path, start, idx - start);
            steps.Add(field.ToString());
            return idx + 2;
        }
    }

    private static ConfigException IncompleteBacktickPair(string path, int backtickAt) =>
        new($"Incomplete backtick pair in path: [{path}], consider adding a backslash before backtick at position {backtickAt} to escape it");
}
