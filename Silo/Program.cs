using Tributary.Silo;

// Regular expressions that do not set their own timeout get one: patterns come from clients too (JSON Schema
// patterns, CEL rules' matches()), and one of them must not hold a thread for ever. Set before any is built.
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromSeconds(1));

// The embedded platform: one silo, one broker, everything in this process, state under the data directory.
await TributaryHost.Build(args).RunAsync();
