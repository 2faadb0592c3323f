using Tributary.Silo;

// Regular expressions that do not set their own timeout get one: patterns come from clients too (JSON Schema
// patterns, CEL rules' matches()), and one of them must not hold a thread for ever. Set before any is built.
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(1));

if (args is [Tributary.Silo.Support.SupportBundleCommand.Name, .. var rest])
{
    // A command for a running silo: its support bundle, fetched from its health port.
    return await Tributary.Silo.Support.SupportBundleCommand.RunAsync(rest, Console.Out, Console.Error);
}

// The embedded platform: one silo, one broker, everything in this process, state under the data directory.
await TributaryHost.Build(args).RunAsync();
return 0;
