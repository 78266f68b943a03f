using System.Formats.Tar;
using System.Text;
using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>A scratch folder for one test's input files, removed afterwards.</summary>
internal sealed class ExtractFiles : IDisposable
{
    public ExtractFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "etl-extract-" + Guid.NewGuid().ToString("N"));

    public static string SampleJson => System.IO.Path.Combine(FindSamples(), "skype", "messages.json");

    public static string SampleTar => System.IO.Path.Combine(FindSamples(), "skype-export.tar");

    public string PathOf(string name) => System.IO.Path.Combine(Root, name);

    public string Text(string name, string text) => Bytes(name, Encoding.UTF8.GetBytes(text));

    public string Bytes(string name, byte[] bytes)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A tar of the given entries in order; a null content makes a directory entry.</summary>
    public string Tar(string name, params (string Name, byte[]? Content)[] entries)
    {
        var path = PathOf(name);
        using var archive = File.Create(path);
        using var tar = new TarWriter(archive, TarEntryFormat.Pax);
        foreach (var (entryName, content) in entries)
        {
            var entry = content is null
                ? new PaxTarEntry(TarEntryType.Directory, entryName)
                : new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(content) };
            tar.WriteEntry(entry);
        }

        return path;
    }

    public static async Task<List<ExtractedRecord>> ReadAllAsync(string path, SkypeReaderOptions? options = null)
    {
        var records = new List<ExtractedRecord>();
        await foreach (var record in SkypeExportReader.ReadAsync(path, options))
        {
            records.Add(record);
        }

        return records;
    }

    public static async Task<SourceFormatException> FailureAsync(string path, SkypeReaderOptions? options = null) =>
        await Assert.ThrowsAsync<SourceFormatException>(() => ReadAllAsync(path, options));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = System.IO.Path.Combine(dir.FullName, "samples");
            if (File.Exists(System.IO.Path.Combine(samples, "skype", "messages.json")))
            {
                return samples;
            }
        }

        throw new InvalidOperationException("samples/skype/messages.json not found above " + AppContext.BaseDirectory);
    }
}
