using Akka.Actor;
using Akka.Hosting;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Support;

/// <summary>A real engine (a one-node cluster, or one process as `etl run` hosts it; SQL journal) in a Generic Host, as the CLI and the node start it.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EngineHost(IHost host)
    {
        _host = host;
        System = host.Services.GetRequiredService<ActorSystem>();
        Jobs = host.Services.GetRequiredService<ActorRegistry>().Get<JobManager>();
    }

    public ActorSystem System { get; }
    public IActorRef Jobs { get; }

    public static async Task<EngineHost> StartAsync(EtlEngineOptions options, EngineTopology topology = EngineTopology.Cluster)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        options.Validate();
        // In-process and loopback only, like an embedded `etl run`: nothing to encrypt (TLS is tested with real nodes).
        options.Tls.InsecurePlaintext = true;
        builder.Services.AddEtlEngine(options, Akka.Event.LogLevel.WarningLevel, topology: topology);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host);
    }

    public Task<JobStatus> GetAsync(JobId id) => Jobs.Ask<JobStatus>(new GetJob(id), TimeSpan.FromSeconds(10));

    /// <summary>Waits, by asking the job, until it has finished; fails after <paramref name="within"/>.</summary>
    public Task<JobStatus> WaitUntilFinishedAsync(JobId id, TimeSpan within) =>
        Eventually.UntilAsync(() => GetAsync(id), s => s.IsFinished, within, $"job {id} finished");

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
