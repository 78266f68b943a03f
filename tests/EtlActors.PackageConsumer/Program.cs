using System.Reflection;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;

// Submits one job and watches it to the end, through nothing but the EtlActors.Client package. TLS and the API key come
// from ETL_TLS_* and ETL_API_KEY, as for `etl`. Exit 0 when the job completes.
if (args is not [var contact, var source, var sink, var tenant, var id])
{
    Console.Error.WriteLine("usage: EtlActors.PackageConsumer <host:port> <export> <sink> <tenant> <job id>");
    return 2;
}

Console.WriteLine($"EtlActors.Client {typeof(EtlClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
await using var client = EtlClient.Connect(new EtlClientOptions { Contacts = [contact], WatchInterval = TimeSpan.FromMilliseconds(200) });
var jobId = new JobId(id);
var accepted = await client.SubmitAsync(jobId, new JobSpec("skype", source, sink, tenant));
Console.WriteLine($"submitted {accepted.JobId.Value} ({accepted.State})");

JobProgress? last = null;
await foreach (var progress in client.WatchAsync(jobId))
{
    Console.WriteLine($"{progress.State}: {progress.Processed} records");
    last = progress;
}
Console.WriteLine($"finished {last?.State}: {last?.Processed} records");
return last?.State == JobState.Completed ? 0 : 1;
