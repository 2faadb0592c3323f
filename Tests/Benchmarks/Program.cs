using BenchmarkDotNet.Running;

// dotnet run -c Release --project Tests/Benchmarks -- --filter '*'      (all)
// dotnet run -c Release --project Tests/Benchmarks -- --filter '*Append*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
