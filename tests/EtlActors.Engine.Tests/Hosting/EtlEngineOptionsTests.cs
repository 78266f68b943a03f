using Microsoft.Extensions.Configuration;

namespace EtlActors.Engine.Tests.Hosting;

/// <summary>The one binder every host reads the engine's settings with.</summary>
public sealed class EtlEngineOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();

    [Fact]
    public void Settings_bind_from_the_Etl_section_over_the_documented_defaults_and_an_adjustment_wins()
    {
        var options = EtlEngineOptions.From(
            Config(("Etl:BatchSize", "500"), ("Etl:SeedNodes:0", "akka.tcp://etl@a:4053"), ("Etl:RetryMaxBackoff", "00:01:00")),
            o => o.CheckpointInterval = 777);

        Assert.Equal(500, options.BatchSize);
        Assert.Equal(["akka.tcp://etl@a:4053"], options.SeedNodes);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RetryMaxBackoff);
        Assert.Equal(777, options.CheckpointInterval);
        Assert.Equal(new EtlEngineOptions().LoadParallelism, options.LoadParallelism);
    }

    [Theory]
    [InlineData("Etl:BatchSize", "0", "Etl:BatchSize must be at least 1 (is 0)")]
    [InlineData("Etl:CheckpointInterval", "-5", "Etl:CheckpointInterval must be at least 1 (is -5)")]
    [InlineData("Etl:MaxQuarantineRatio", "1.5", "Etl:MaxQuarantineRatio must be between 0 and 1 (is 1.5)")]
    [InlineData("Etl:RetryMaxBackoff", "00:00:00.1", "Etl:RetryMaxBackoff must be at least Etl:RetryMinBackoff (00:00:01)")]
    [InlineData("Etl:Journal", "mysql://db/etl", "Etl:Journal or Etl:DefaultSink: ")]
    [InlineData("Etl:HeartbeatInterval", "00:00:00", "Etl:HeartbeatInterval must be positive (is 00:00:00)")]
    [InlineData("Etl:SplitBrainStableAfter", "-00:00:01", "Etl:SplitBrainStableAfter must be positive (is -00:00:01)")]
    [InlineData("Etl:DownRemovalMargin", "-00:00:01", "Etl:DownRemovalMargin must not be negative (is -00:00:01)")]
    public void A_setting_out_of_range_is_an_error_that_names_it_and_its_value(string key, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => EtlEngineOptions.From(Config((key, value))));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sources_root_must_be_an_existing_directory_and_none_means_anywhere()
    {
        var dir = Directory.CreateTempSubdirectory("etl-options-");
        try
        {
            var missing = Path.Combine(dir.FullName, "missing");
            var file = Path.Combine(dir.FullName, "file.tar");
            File.WriteAllText(file, "");

            Assert.Equal(
                $"Etl:SourcesRoot {missing} does not exist (it must be the directory jobs' sources are read from)",
                Assert.Throws<ArgumentException>(() => EtlEngineOptions.From(Config(("Etl:SourcesRoot", missing)))).Message);
            Assert.Equal(
                $"Etl:SourcesRoot {file} is not a directory (it must be the directory jobs' sources are read from)",
                Assert.Throws<ArgumentException>(() => EtlEngineOptions.From(Config(("Etl:SourcesRoot", file)))).Message);
            Assert.Equal(dir.FullName, EtlEngineOptions.From(Config(("Etl:SourcesRoot", dir.FullName))).SourcesRoot);
            Assert.Null(EtlEngineOptions.From(Config()).SourcesRoot);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
