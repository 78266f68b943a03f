using System.Text;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Connectors.Files;
using EtlActors.Pipeline.Connectors.Skype;
using EtlActors.Pipeline.Connectors.Slack;
using EtlActors.Pipeline.Tests.Extract;
using EtlActors.Testing;

namespace EtlActors.Pipeline.Tests.Connectors;

/// <summary>
/// How much of its source a reader has read, which a running job shows as a percent and a time left: it grows
/// with the records, reaches all of the file at the end, and counts what a resumed run skips.
/// </summary>
public sealed class SourceProgressTests : IDisposable
{
    private const string Mapping = """
        into: messages
        columns:
          conversation_id: c
          message_id: id
          content_text: text
        """;

    // Enough that a quarter of the file is more than the readers' buffers (CSV's reads ahead up to ~100 KB).
    private const int Rows = 20_000;

    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string> Kinds => ["skype tar", "skype json", "ndjson", "csv", "slack zip", "slack folder"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_share_read_grows_with_the_records_and_ends_at_the_whole_file(string kind)
    {
        var (connector, path, mapping) = Source(kind);

        var seen = await ReadAsync(connector, new SourceRead(path, 0, mapping));

        Assert.True(seen.Count > 1000, $"{seen.Count} records");
        Assert.All(seen, f => Assert.NotNull(f));
        Assert.Equal(seen.Order(), seen); // never goes back
        Assert.InRange(seen[seen.Count / 2]!.Value, 0.2, 0.8);
        Assert.True(seen[0] < 0.5, $"first record at {seen[0]}");
        Assert.Equal(1.0, seen[^1]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_resumed_read_counts_the_records_it_skips_as_read(string kind)
    {
        var (connector, path, mapping) = Source(kind);
        var records = (await ReadAsync(connector, new SourceRead(path, 0, mapping))).Count - 1; // the last entry is the end of the read
        var from = records * 3 / 4;

        var resumed = await ReadAsync(connector, new SourceRead(path, from, mapping));

        Assert.Equal(records - from, resumed.Count - 1);
        Assert.InRange(resumed[0]!.Value, 0.6, 0.9);
        Assert.Equal(1.0, resumed[^1]);
    }

    [Fact]
    public void A_source_whose_size_nobody_reported_has_no_share()
    {
        var progress = new SourceProgress();
        Assert.Null(progress.Fraction);
        progress.Report(0, 0); // an empty file: no size to divide by
        Assert.Null(progress.Fraction);
        progress.Report(150, 100); // read ahead of a length taken earlier
        Assert.Equal(1.0, progress.Fraction);
    }

    /// <summary>The share seen as each record arrives, then once the reader has finished.</summary>
    private static async Task<List<double?>> ReadAsync(ISourceConnector connector, SourceRead read)
    {
        var progress = new SourceProgress();
        var seen = new List<double?>();
        await foreach (var _ in connector.ReadAsync(read with { Progress = progress }, CancellationToken.None))
            seen.Add(progress.Fraction);
        seen.Add(progress.Fraction);
        return seen;
    }

    private (ISourceConnector Connector, string Path, string? Mapping) Source(string kind)
    {
        switch (kind)
        {
            case "skype tar" or "skype json":
                var path = _files.PathOf(kind == "skype tar" ? "export.tar" : "messages.json");
                SyntheticSkypeExport.Write(path, new SyntheticExportOptions(Messages: 4000, Conversations: 9, Seed: 3, AsTar: kind == "skype tar"));
                return (new SkypeConnector(), path, null);
            case "slack zip" or "slack folder":
                var export = _files.PathOf(kind == "slack zip" ? "slack.zip" : "slack");
                SyntheticSlackExport.Write(export, new SyntheticSlackOptions(Messages: 4000, Conversations: 12, Users: 20, Seed: 3, AsZip: kind == "slack zip"));
                return (new SlackConnector(), export, null);
            case "ndjson":
                return (new FilesConnector(), _files.Text("chat.ndjson", string.Concat(Enumerable.Range(0, Rows)
                    .Select(i => $$"""{"c": "c{{i % 9}}", "id": "{{i}}", "text": "message {{i}} {{new string('x', i % 50)}}"}""" + "\n"))), Mapping);
            default:
                var csv = new StringBuilder("c,id,text\n");
                foreach (var i in Enumerable.Range(0, Rows))
                    csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"c{i % 9},{i},message {i} {new string('x', i % 50)}\n");
                return (new FilesConnector(), _files.Text("chat.csv", csv.ToString()), Mapping);
        }
    }
}
