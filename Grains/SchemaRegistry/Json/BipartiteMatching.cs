namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>A maximum matching in a bipartite graph (Kuhn's augmenting paths): small graphs, the subschemas of a combination.</summary>
internal static class BipartiteMatching
{
    /// <summary>Pairs (left, right) with no side used twice, as many as <paramref name="edge"/> allows.</summary>
    public static IReadOnlyList<(int Left, int Right)> Maximum(int left, int right, Func<int, int, bool> edge)
    {
        var matchOfRight = Enumerable.Repeat(-1, right).ToArray();
        for (var l = 0; l < left; l++)
        {
            Augment(l, new bool[right], matchOfRight, right, edge);
        }

        return [.. matchOfRight.Select((l, r) => (l, r)).Where(p => p.l >= 0).Select(p => (p.l, p.r))];
    }

    private static bool Augment(int l, bool[] visited, int[] matchOfRight, int right, Func<int, int, bool> edge)
    {
        for (var r = 0; r < right; r++)
        {
            if (visited[r] || !edge(l, r))
            {
                continue;
            }

            visited[r] = true;
            if (matchOfRight[r] < 0 || Augment(matchOfRight[r], visited, matchOfRight, right, edge))
            {
                matchOfRight[r] = l;
                return true;
            }
        }

        return false;
    }
}
