using System.Formats.Tar;
using System.Text;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>An export that cannot be read fails the job with one line naming the file and, where it applies, the position.</summary>
public sealed class EtlRunBadInputTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private async Task<ProcessResult> RunAsync(string file) =>
        await EtlProcess.RunAsync(_dir.Path, "run", file, "--sink", $"sqlite:{_dir.File("etl.db")}");

    private static void AssertOneLineError(ProcessResult result, string expectedStart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.StartsWith("error: job ", errors[0]);
        Assert.Contains(expectedStart, errors[0]);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace without --verbose
    }

    [Fact]
    public async Task A_file_that_is_neither_tar_nor_json_is_named()
    {
        var file = _dir.File("photo.jpg");
        await File.WriteAllBytesAsync(file, [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F']);

        AssertOneLineError(await RunAsync(file), $"{file}: not a tar archive or a JSON file");
    }

    [Fact]
    public async Task Truncated_json_names_the_file_and_the_line()
    {
        var file = _dir.File("messages.json");
        await File.WriteAllTextAsync(file, """
            {"userId":"8:live:me","conversations":[
             {"id":"8:live:bob","MessageList":[
              {"id":"1","originalarrivaltime":"2024-03-01T09:01:00Z","messagetype":"Text","content":"fi
            """);

        var result = await RunAsync(file);

        AssertOneLineError(result, $"{file}: line ");
    }

    [Fact]
    public async Task Invalid_utf8_names_the_file_and_the_line()
    {
        var file = _dir.File("messages.json");
        var head = Encoding.UTF8.GetBytes("{\"userId\":\"8:live:me\",\"conversations\":[\n{\"id\":\"8:live:bob\",\"MessageList\":[\n{\"id\":\"1\",\"content\":\"");
        var tail = Encoding.UTF8.GetBytes("\",\"conversationid\":\"8:live:bob\",\"from\":\"8:live:bob\",\"messagetype\":\"Text\",\"originalarrivaltime\":\"2024-03-01T09:01:00Z\"}]}]}");
        await File.WriteAllBytesAsync(file, [.. head, 0xC3, 0x28, .. tail]);

        var result = await RunAsync(file);

        AssertOneLineError(result, $"{file}: line 3");
        Assert.Contains("UTF-8", result.Stderr);
    }

    [Fact]
    public async Task A_tar_without_messages_json_is_named()
    {
        var file = _dir.File("export.tar");
        await using (var tar = new TarWriter(File.Create(file)))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "endpoints.json") { DataStream = new MemoryStream("{}"u8.ToArray()) };
            await tar.WriteEntryAsync(entry);
        }

        AssertOneLineError(await RunAsync(file), $"{file}: the archive holds no messages.json");
    }

    public void Dispose() => _dir.Dispose();
}
