namespace Tributary.Grains.Actors.Persistence;

/// <summary>How the control-plane grains that serve a copy of their state (ACLs, SCRAM credentials, quotas) store a change.</summary>
public static class PersistentStateWrites
{
    /// <summary>
    /// Stores <paramref name="next"/> as the grain's state. When the write fails, whether it landed is unknown: the
    /// state goes back to what it was, the grain deactivates (<paramref name="deactivate"/>) so that its next
    /// activation reads the store again, and the failure is thrown, so the caller serves nothing of the change.
    /// </summary>
    public static async Task WriteOrForgetAsync<T>(this IPersistentState<T> state, T next, Action deactivate)
    {
        var before = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            deactivate();
            throw;
        }
    }
}
