namespace Tributary.Grains.Connect.Api.Data;

/// <summary>One field of a struct schema: its name, its position and its schema.</summary>
public sealed record Field(string Name, int Index, Schema Schema)
{
    public override string ToString() => $"Field{{name={Name}, index={Index}, schema={Schema}}}";
}
