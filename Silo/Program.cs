using Tributary.Silo;

// The embedded platform: one silo, one broker, everything in this process, state under the data directory.
await TributaryHost.Build(args).RunAsync();
