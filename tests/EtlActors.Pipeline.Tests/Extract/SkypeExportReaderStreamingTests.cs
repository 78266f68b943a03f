using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Testing;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>Generated exports: counts round-trip, memory stays flat, cancellation and disposal work.</summary>
public sealed class SkypeExportReaderStreamingTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_generated_export_reads_back_with_the_counts_it_was_written_with(bool asTar)
    {
        var path = _files.PathOf(asTar ? "export.tar" : "messages.json");
        var info = SyntheticSkypeExport.Write(path, new SyntheticExportOptions(Messages: 3000, Conversations: 23, Seed: 7, AsTar: asTar));

        var records = await ExtractFiles.ReadAllAsync(path);

        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.Equal(info.Messages, records.Count(r => r.Kind == RecordKind.Message));
        Assert.Equal(info.Conversations, records.Count(r => r.Kind == RecordKind.Conversation));
        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
        var conversations = records.Where(r => r.Kind == RecordKind.Conversation).Select(r => r.ConversationId).ToList();
        Assert.Equal(info.Conversations, conversations.Distinct().Count());
        Assert.Contains(conversations, id => id.StartsWith("8:", StringComparison.Ordinal));
        Assert.Contains(conversations, id => id.StartsWith("19:", StringComparison.Ordinal) && id.EndsWith("@thread.skype", StringComparison.Ordinal));
        Assert.Contains(conversations, id => id.StartsWith("28:", StringComparison.Ordinal));
        foreach (var message in records.Where(r => r.Kind == RecordKind.Message))
        {
            using var json = JsonDocument.Parse(message.Payload);
            Assert.Equal(message.ConversationId, json.RootElement.GetProperty("conversationid").GetString());
        }
    }

    [Fact]
    public void The_generator_writes_the_same_bytes_for_the_same_seed()
    {
        var options = new SyntheticExportOptions(Messages: 500, Conversations: 5, Seed: 3);

        SyntheticSkypeExport.Write(_files.PathOf("a.tar"), options);
        SyntheticSkypeExport.Write(_files.PathOf("b.tar"), options);
        SyntheticSkypeExport.Write(_files.PathOf("c.tar"), options with { Seed = 4 });

        Assert.Equal(Hash("a.tar"), Hash("b.tar"));
        Assert.NotEqual(Hash("a.tar"), Hash("c.tar"));
    }

    [Fact]
    public async Task Memory_stays_within_one_buffer_over_a_large_export()
    {
        var path = _files.PathOf("export.tar");
        var info = SyntheticSkypeExport.Write(path, new SyntheticExportOptions(Messages: 50_000, Conversations: 40));
        var stats = new ReaderStats();

        var messages = 0;
        await foreach (var record in SkypeExportReader.ReadAsync(path, new SkypeReaderOptions(BufferBytes: 16 * 1024), stats, CancellationToken.None))
        {
            messages += record.Kind == RecordKind.Message ? 1 : 0;
        }

        Assert.Equal(50_000, messages);
        Assert.True(info.Bytes > 20_000_000, $"the export is only {info.Bytes} bytes");
        // No record needs more than the starting 16 KiB, so the buffer never grows, whatever the file size.
        Assert.Equal(16 * 1024, stats.BufferHighWater);
        Assert.InRange(stats.PayloadHighWater, 1, 4096);
    }

    [Fact]
    public async Task The_buffer_grows_only_to_hold_the_largest_record()
    {
        var big = new string('x', 40_000);
        var path = _files.Text("messages.json", $$"""{"conversations":[{"id":"c","MessageList":[{"id":"1"},{"id":"2","content":"{{big}}"},{"id":"3"}]}]}""");
        var stats = new ReaderStats();

        var records = new List<ExtractedRecord>();
        await foreach (var record in SkypeExportReader.ReadAsync(path, new SkypeReaderOptions(BufferBytes: 1024), stats, CancellationToken.None))
        {
            records.Add(record);
        }

        Assert.Equal(4, records.Count);
        Assert.Contains(big, records[1].Payload, StringComparison.Ordinal);
        Assert.Equal(64 * 1024, stats.BufferHighWater); // 1 KiB doubled until 40 KB fit
    }

    [Fact]
    public async Task A_long_message_list_before_the_conversation_id_still_gets_the_id()
    {
        var messages = string.Join(",\n", Enumerable.Range(0, 2000).Select(i => $$"""{"id":"{{i}}","content":"message {{i}} with \"quotes\" and ]} in it"}"""));
        var path = _files.Tar("export.tar", ("messages.json", Encoding.UTF8.GetBytes($$"""{"conversations":[{"MessageList":[{{messages}}],"displayName":"Late","id":"8:live:late"},{"id":"next","MessageList":[{"id":"x"}]}]}""")));

        var records = await ExtractFiles.ReadAllAsync(path, new SkypeReaderOptions(BufferBytes: 256));

        Assert.Equal(2003, records.Count);
        Assert.All(records.Take(2000), r => Assert.Equal("8:live:late", r.ConversationId));
        Assert.Equal(new ExtractedRecord(2000, RecordKind.Conversation, "8:live:late", """{"displayName":"Late","id":"8:live:late"}"""), records[2000]);
        Assert.Equal(new ExtractedRecord(2001, RecordKind.Message, "next", """{"id":"x"}"""), records[2001]);
    }

    [Fact]
    public async Task Cancelling_stops_the_enumeration()
    {
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in SkypeExportReader.ReadAsync(ExtractFiles.SampleTar, cancellationToken: cancellation.Token))
            {
                if (++read == 5)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(5, read);
    }

    [Fact]
    public async Task Cancelling_through_WithCancellation_stops_the_enumeration_too()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in SkypeExportReader.ReadAsync(ExtractFiles.SampleJson).WithCancellation(cancellation.Token))
            {
                Assert.Fail("no record should come after cancellation");
            }
        });
    }

    [Fact]
    public async Task Stopping_early_releases_the_file()
    {
        var path = _files.PathOf("export.tar");
        SyntheticSkypeExport.Write(path, new SyntheticExportOptions(Messages: 200, Conversations: 3));

        await foreach (var record in SkypeExportReader.ReadAsync(path))
        {
            // While reading, the file is open for reading only: an exclusive open is refused.
            Assert.Throws<IOException>(() => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
            if (record.Offset == 3)
            {
                break;
            }
        }

        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.True(exclusive.Length > 0);
    }

    private string Hash(string name) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(_files.PathOf(name))));
}
