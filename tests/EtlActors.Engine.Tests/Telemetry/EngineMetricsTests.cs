using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Tests.Support;
using EtlActors.Pipeline.Telemetry;
using EtlActors.Testing;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Telemetry;

/// <summary>What a job's run adds to the EtlActors meter, read with a MeterListener as an exporter would.</summary>
public sealed class EngineMetricsTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("etl-metrics-").FullName;
    // Tests in this process run jobs side by side: only this test's tenant counts.
    private readonly string _tenant = "metrics-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentDictionary<string, double> _sums = new();
    private readonly ConcurrentBag<double> _loadDurations = [];
    private readonly ConcurrentDictionary<string, long> _jobs = new();
    private readonly MeterListener _listener = new();

    public EngineMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineMetrics.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (instrument.Name == "etl.jobs")
                _jobs[tagged["state"]!] = value;
            else if (tagged.GetValueOrDefault("tenant") == _tenant)
                _sums.AddOrUpdate($"{instrument.Name}|{tagged.GetValueOrDefault("source_kind")}", value, (_, sum) => sum + value);
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "etl.batch.load.duration")
                _loadDurations.Add(value);
        });
        _listener.Start();
    }

    [Fact]
    public async Task A_completed_job_counts_every_record_extracted_transformed_and_loaded_under_its_tenant_and_source_kind()
    {
        var export = Path.Combine(_dir, "export.tar");
        var info = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(Messages: 3000, Conversations: 6, Seed: 3));
        await using var engine = await EngineHost.StartAsync(new EtlEngineOptions { Journal = $"sqlite:{Path.Combine(_dir, "journal.db")}", BatchSize = 500 });
        var job = new JobId("metrics-job");

        await engine.Jobs.Ask<JobAccepted>(new StartJob(job, new JobSpec("skype", export, $"sqlite:{Path.Combine(_dir, "etl.db")}", _tenant)), Within);
        var done = await engine.WaitUntilFinishedAsync(job, Within);
        // The registry hears of the completion after the job itself: read the gauge until it has.
        await Eventually.UntilAsync(() =>
            {
                _listener.RecordObservableInstruments();
                return Task.FromResult(_jobs.GetValueOrDefault("Completed"));
            }, completed => completed >= 1, Within, "a Completed job in etl.jobs", describe: _ => string.Join(", ", _jobs));

        Assert.Equal(JobState.Completed, done.State);
        var records = info.Messages + info.Conversations; // the reader's records: each message, and each conversation's header
        Assert.Equal(records, done.Processed);
        Assert.Equal(records, _sums.GetValueOrDefault("etl.records.extracted|skype"));
        Assert.Equal(records, _sums.GetValueOrDefault("etl.records.transformed|skype"));
        Assert.Equal(records, _sums.GetValueOrDefault("etl.records.loaded|skype"));
        Assert.False(_sums.ContainsKey("etl.records.quarantined|skype"));
        Assert.True(_loadDurations.Count >= records / 500, $"{_loadDurations.Count} batch durations");
        Assert.All(_loadDurations, d => Assert.InRange(d, 0, 60));
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
