using EtlActors.Benchmarks;

// The acceptance benchmark: `etl run` into PostgreSQL against a plain COPY of the same rows, at two sizes.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

try
{
    await BenchBinaries.PrepareAsync(options);
    if (options.Startup)
        return await StartupRun.ExecuteAsync(options);
    if (options.Transform)
        return await TransformRun.ExecuteAsync(options);
    if (options.Tls)
        return await new TlsRun(options).ExecuteAsync();
    if (options.ManyJobs)
        return await new ManyJobsRun(options).ExecuteAsync();
    if (options.Failover)
        return await new FailoverRun(options).ExecuteAsync();
    return options.Checkpoints
        ? await new CheckpointRun(options).ExecuteAsync()
        : await new BenchRun(options).ExecuteAsync();
}
catch (Exception ex) when (ex is BenchFailedException or TimeoutException) // the process harness's waits fail with TimeoutException
{
    Console.Out.Flush();
    Console.Error.WriteLine($"BENCHMARK FAILED: {ex.Message}");
    return 1;
}
