using EtlActors.Pipeline.Connectors;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>The folder a Skype export's .tar unpacks to is read as the .tar is: its messages.json, and nothing a link leads to.</summary>
public sealed class SkypeExportFolderTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    [Fact]
    public async Task An_unpacked_export_gives_the_records_of_its_tar()
    {
        var folder = Path.GetDirectoryName(ExtractFiles.SampleJson)!;

        var fromFolder = await ExtractFiles.ReadAllAsync(folder);

        Assert.Equal(31, fromFolder.Count);
        Assert.Equal(await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar), fromFolder);
    }

    [Fact]
    public void An_unpacked_export_is_detected_as_skype()
    {
        var folder = Path.GetDirectoryName(ExtractFiles.SampleJson)!;

        Assert.Equal("skype", SourceConnectors.Builtin().Detect(folder).Kind);
    }

    [Fact]
    public async Task A_folder_without_messages_json_says_what_it_lacks()
    {
        Directory.CreateDirectory(_files.PathOf("export"));

        var error = await ExtractFiles.FailureAsync(_files.PathOf("export"));

        Assert.Equal($"{_files.PathOf("export")}: no messages.json in this folder (an unpacked Skype export holds it at the top)", error.Message);
    }

    [Fact]
    public async Task A_messages_json_that_is_a_link_is_not_followed()
    {
        var folder = Directory.CreateDirectory(_files.PathOf("export")).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "messages.json"), ExtractFiles.SampleJson);

        var error = await ExtractFiles.FailureAsync(folder);

        Assert.Equal($"{folder}: its messages.json is a link to '{ExtractFiles.SampleJson}', not a file; it is not followed", error.Message);
    }

    [Fact]
    public async Task A_mistake_in_the_json_names_the_folders_messages_json()
    {
        var folder = Directory.CreateDirectory(_files.PathOf("export")).FullName;
        File.WriteAllText(Path.Combine(folder, "messages.json"), "{\"userId\": \"8:live:me\", \"conversations\": [}");

        var error = await ExtractFiles.FailureAsync(folder);

        Assert.StartsWith($"{Path.Combine(folder, "messages.json")}: line 1, byte ", error.Message);
    }

    public void Dispose() => _files.Dispose();
}
