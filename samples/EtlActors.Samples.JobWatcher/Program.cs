using EtlActors.Client;
using EtlActors.Samples.JobWatcher;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Settings come from appsettings.json beside the program, then EtlClient__*/Job__* environment
// variables, then arguments such as `--Job:Source /data/sources/export.tar`.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // Found wherever the program is started from, not only in its own folder.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Services.AddEtlClient(builder.Configuration.GetSection("EtlClient"));
builder.Services.AddOptions<JobOptions>().Bind(builder.Configuration.GetSection(JobOptions.Section));
builder.Services.AddHostedService<JobWatcher>();

using var host = builder.Build();
await host.RunAsync();
return Environment.ExitCode;
