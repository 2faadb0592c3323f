using System.Numerics;

namespace Tributary.Grains.Storage;

/// <summary>Lock-free "raise to at least": a value that only ever grows, whatever the order of concurrent writers.</summary>
internal static class Monotonic
{
    public static void RaiseTo<T>(ref T location, T value)
        where T : struct, IBinaryInteger<T>
    {
        var current = Interlocked.CompareExchange(ref location, T.Zero, T.Zero);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
