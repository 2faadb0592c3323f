namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// Splits a header string into tokens as Kafka's <c>Values.Parser</c> does: each of <c>: , { } [ ] "</c> is a token
/// of its own unless a backslash escapes it, and the text between delimiters (whitespace included) is one token. It
/// can look ahead one token, mark a position and rewind to it, which the value parser uses to back off.
/// </summary>
internal sealed class ValueTokenizer(string original)
{
    private int _position;
    private string? _nextToken;

    public string Original { get; } = original;

    /// <summary>The last token taken with <see cref="Next()"/>; cleared by <see cref="RewindTo"/>.</summary>
    public string? Previous { get; private set; }

    public int Position => _position;

    /// <summary>Where the next token starts, counting a token already looked at but not taken.</summary>
    public int Mark() => _position - (_nextToken?.Length ?? 0);

    public void RewindTo(int position)
    {
        _position = position;
        _nextToken = null;
        Previous = null;
    }

    public bool HasNext() => _nextToken is not null || _position < Original.Length;

    public string Next()
    {
        if (_nextToken is not null)
        {
            Previous = _nextToken;
            _nextToken = null;
        }
        else
        {
            Previous = ConsumeNextToken();
        }

        return Previous;
    }

    /// <summary>The text of the next <paramref name="count"/> tokens, or null (and nothing taken) when there are fewer.</summary>
    public string? Next(int count)
    {
        var start = Mark();
        for (var i = 0; i < count; i++)
        {
            if (!HasNext())
            {
                RewindTo(start);
                return null;
            }

            Next();
        }

        return Original[start.._position];
    }

    /// <summary>Takes the next token if, whitespace aside, it is <paramref name="expected"/>; blank tokens before it are skipped.</summary>
    public bool CanConsume(string expected)
    {
        if (_nextToken is null)
        {
            if (!HasNext())
            {
                return false;
            }

            _nextToken = ConsumeNextToken();
        }

        while (JavaText.IsBlank(_nextToken) && _position < Original.Length)
        {
            _nextToken = ConsumeNextToken();
        }

        if (JavaText.Trim(_nextToken) != expected)
        {
            return false;
        }

        _nextToken = null;
        return true;
    }

    private string ConsumeNextToken()
    {
        var escaped = false;
        var start = _position;
        while (_position < Original.Length)
        {
            var c = Original[_position];
            switch (c)
            {
                case '\\':
                    escaped = !escaped;
                    break;
                case ':' or ',' or '{' or '}' or '[' or ']' or '"':
                    if (!escaped)
                    {
                        if (start < _position)
                        {
                            return Original[start.._position];
                        }

                        _position++;
                        return Original.Substring(start, 1);
                    }

                    escaped = false;
                    break;
                default:
                    escaped = false;
                    break;
            }

            _position++;
        }

        return Original[start.._position];
    }
}
