namespace Tributary.Grains.Connect.Api.Config;

/// <summary>A secret configuration value (Kafka's <c>Password</c>): shows as <c>[hidden]</c> everywhere but <see cref="Value"/>.</summary>
public sealed record Password(string Value)
{
    public const string Hidden = "[hidden]";

    public override string ToString() => Hidden;
}
