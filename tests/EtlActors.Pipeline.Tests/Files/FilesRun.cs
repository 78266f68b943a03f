using System.Text;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Connectors.Files;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Tests.Files;

/// <summary>Writes a source file and a mapping, reads the file through the files connector and normalises every record, as a job would.</summary>
internal sealed class FilesRun : IDisposable
{
    public static readonly DateTimeOffset ExtractedAt = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "etl-files-" + Guid.NewGuid().ToString("N"));

    public FilesRun() => Directory.CreateDirectory(_root);

    public FilesConnector Connector { get; } = new();

    public string File(string name, string text, bool bom = false)
    {
        var path = Path.Combine(_root, name);
        var bytes = Encoding.UTF8.GetBytes(text);
        System.IO.File.WriteAllBytes(path, bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return path;
    }

    public async Task<List<ExtractedRecord>> ReadAsync(string path, string mapping, long from = 0)
    {
        var records = new List<ExtractedRecord>();
        await foreach (var record in Connector.ReadAsync(new SourceRead(path, from, mapping), CancellationToken.None))
            records.Add(record);
        return records;
    }

    public TransformResult Normalize(IEnumerable<ExtractedRecord> records, string mapping)
    {
        var context = new TransformContext("acme", Connector.Kind, "job-1", ExtractedAt, mapping);
        var result = new TransformResult();
        foreach (var record in records)
            Connector.Normalize(record, context, result);
        return result;
    }

    public async Task<TransformResult> RunAsync(string path, string mapping) => Normalize(await ReadAsync(path, mapping), mapping);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
