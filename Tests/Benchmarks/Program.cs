using BenchmarkDotNet.Running;

// dotnet run -c Release --project Tests/Benchmarks -- --filter '*'      (all)
// dotnet run -c Release --project Tests/Benchmarks -- --filter '*Append*'
// dotnet run -c Release --project Tests/Benchmarks -- --filter '*RequestPath*'   (the broker's request path, no TCP)
// dotnet run -c Release --project Tests/Benchmarks -- --filter '*JsonConverter*' --inProcess   (Connect's JsonConverter)
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
