using Xunit.Abstractions;

namespace EtlActors.IntegrationTests.Corpus;

// Each case is one `etl run` process of a few seconds. A theory's rows run one after another and
// xunit runs classes in parallel, so the corpus is split by group into a few classes.

/// <summary>Files that are not a UTF-8 JSON export or a tar, and JSON not shaped like an export.</summary>
public sealed class CorpusFileAndShapeTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => MalformedCorpus.Names([.. MalformedCorpus.FileCases, .. MalformedCorpus.ShapeCases]);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Etl_run_ends_clearly(string name) => CorpusRunner.RunAsync(MalformedCorpus.Find(name), output);
}

/// <summary>Tars that are cut short, lie about sizes, point outside themselves or lack messages.json.</summary>
public sealed class CorpusTarTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => MalformedCorpus.Names(MalformedCorpus.TarCases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Etl_run_ends_clearly(string name) => CorpusRunner.RunAsync(MalformedCorpus.Find(name), output);
}

/// <summary>JSON text that is cut short, invalid, too deep, too large or followed by more.</summary>
public sealed class CorpusJsonTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => MalformedCorpus.Names(MalformedCorpus.JsonCases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Etl_run_ends_clearly(string name) => CorpusRunner.RunAsync(MalformedCorpus.Find(name), output);
}

/// <summary>Bad records among good ones: quarantined with their reasons while the rest loads.</summary>
public sealed class CorpusRecordTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => MalformedCorpus.Names(MalformedCorpus.RecordCases);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Etl_run_ends_clearly(string name) => CorpusRunner.RunAsync(MalformedCorpus.Find(name), output);
}

/// <summary>The corpus itself: large enough, every case named once and explained.</summary>
public sealed class CorpusInventoryTests
{
    [Fact]
    public void The_corpus_holds_at_least_25_distinct_explained_cases()
    {
        Assert.True(MalformedCorpus.All.Count >= 25, $"only {MalformedCorpus.All.Count} cases");
        Assert.Equal(MalformedCorpus.All.Count, MalformedCorpus.All.Select(c => c.Name).Distinct().Count());
        Assert.All(MalformedCorpus.All, c => Assert.False(string.IsNullOrWhiteSpace(c.WhatIsWrong), c.Name));
        Assert.Contains(MalformedCorpus.All, c => c.Expected is Loads { Quarantined.Count: > 0 });
    }
}
