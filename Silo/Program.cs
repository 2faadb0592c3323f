using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Tributary.Grains.Hosting;
using Tributary.Silo;

// The embedded platform: one silo, one broker, everything in this process, state under the data directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddCommandLine(args, CommandLine.Switches);
builder.Services.Configure<TributaryOptions>(builder.Configuration.GetSection(TributaryOptions.Section));

var orleans = builder.Configuration.GetSection("Orleans");
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(
        siloPort: orleans.GetValue("SiloPort", 11111),
        gatewayPort: orleans.GetValue("GatewayPort", 30000))
    .AddTributaryBroker()
    .AddTributaryFileGrainStorage());

await builder.Build().RunAsync();
