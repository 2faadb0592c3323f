using Tributary.Tests.Perf;

// The load and measurement tool. Commands:
//   idle-partitions [--partitions N]   memory a broker keeps per partition once its partitions are idle
return args.FirstOrDefault() switch
{
    "idle-partitions" => await IdlePartitions.RunAsync(Arguments.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Tributary.Tests.Perf idle-partitions [--partitions N]");
    return 2;
}
