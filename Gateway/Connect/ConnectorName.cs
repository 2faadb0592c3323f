using Microsoft.AspNetCore.Http;

namespace Tributary.Gateway.Connect;

/// <summary>
/// The connector a <c>/connectors/{connector}/...</c> path names, bound by minimal APIs through
/// <see cref="BindAsync"/> so that every handler gets the name as the client wrote it (see <see cref="RawPathSegment"/>).
/// </summary>
internal sealed record ConnectorName(string Value)
{
    public static ValueTask<ConnectorName?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<ConnectorName?>(new ConnectorName(RawPathSegment.Read(context, 1, "connector")));

    public override string ToString() => Value;
}
