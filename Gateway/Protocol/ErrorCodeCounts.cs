namespace Tributary.Gateway.Protocol;

/// <summary>
/// How many times each error code occurs in one response (<see cref="IErrorCodeResponse"/>). Reused from one response
/// to the next on a connection, so that counting allocates nothing: a response carries few distinct codes.
/// </summary>
public sealed class ErrorCodeCounts
{
    private short[] _codes = new short[4];
    private int[] _counts = new int[4];

    /// <summary>The distinct codes counted.</summary>
    public int Distinct { get; private set; }

    public void Add(short code)
    {
        for (var i = 0; i < Distinct; i++)
        {
            if (_codes[i] == code)
            {
                _counts[i]++;
                return;
            }
        }

        if (Distinct == _codes.Length)
        {
            Array.Resize(ref _codes, Distinct * 2);
            Array.Resize(ref _counts, Distinct * 2);
        }

        _codes[Distinct] = code;
        _counts[Distinct] = 1;
        Distinct++;
    }

    /// <summary>The <paramref name="index"/>th distinct code and its count.</summary>
    public (short Code, int Count) this[int index] => index < Distinct ? (_codes[index], _counts[index]) : throw new ArgumentOutOfRangeException(nameof(index));

    public void Clear() => Distinct = 0;
}
