using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>
/// The default record limit bounds what one record can cost: a string of hundreds of MB fails
/// the read at the record's start instead of being carried through transform and load.
/// </summary>
public sealed class SkypeRecordLimitTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task The_default_record_limit_fails_a_huge_message_with_the_buffer_bounded()
    {
        var path = _files.PathOf("messages.json");
        await using (var file = new StreamWriter(path))
        {
            await file.WriteAsync("{\"conversations\": [{\"id\": \"a\", \"MessageList\": [\n  {\"id\": \"1\", \"content\": \"");
            var chunk = new string('x', 64 * 1024);
            for (var i = 0; i < 80; i++)
            {
                await file.WriteAsync(chunk); // 5 MiB in all, one string
            }

            await file.WriteAsync("\"}]}]}");
        }

        var stats = new ReaderStats();
        var error = await Assert.ThrowsAsync<SourceFormatException>(async () =>
        {
            await foreach (var _ in SkypeExportReader.ReadAsync(path, null, stats, CancellationToken.None))
            {
            }
        });

        Assert.Equal($"{path}: line 2, byte 2: record larger than 4194304 bytes", error.Message);
        Assert.Equal(SkypeReaderOptions.DefaultMaxRecordBytes, stats.BufferHighWater);
    }
}
