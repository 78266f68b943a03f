using EtlActors.Pipeline.Connectors.Files;
using EtlActors.Pipeline.Connectors.Http;
using EtlActors.Pipeline.Connectors.Skype;
using EtlActors.Pipeline.Connectors.Slack;

namespace EtlActors.Pipeline.Connectors;

/// <summary>
/// The source kinds a process can run, by name. <see cref="Builtin"/> holds the ones that ship; a host
/// adds its own with one line: <c>SourceConnectors.Builtin().Add(new MyConnector())</c>.
/// </summary>
public sealed class SourceConnectors
{
    /// <summary>How many leading bytes <see cref="Detect"/> shows each connector.</summary>
    public const int SampleBytes = 4096;

    private readonly List<ISourceConnector> _connectors = [];

    /// <summary>The connectors that ship with EtlActors.</summary>
    public static SourceConnectors Builtin() =>
        new SourceConnectors().Add(new SkypeConnector()).Add(new SlackConnector()).Add(new FilesConnector()).Add(new HttpConnector());

    /// <summary>Adds <paramref name="connector"/>; its kind must be new.</summary>
    public SourceConnectors Add(ISourceConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        if (Find(connector.Kind) is not null)
            throw new ArgumentException($"a connector for source kind '{connector.Kind}' is already registered", nameof(connector));
        _connectors.Add(connector);
        return this;
    }

    /// <summary>The registered kinds, in registration order.</summary>
    public IReadOnlyList<string> Kinds => _connectors.Select(c => c.Kind).ToList();

    /// <summary>The connector of <paramref name="kind"/>, or null.</summary>
    public ISourceConnector? Find(string kind) =>
        _connectors.FirstOrDefault(c => string.Equals(c.Kind, kind, StringComparison.OrdinalIgnoreCase));

    /// <summary>The connector of <paramref name="kind"/>; an unknown kind is an error that lists the known ones.</summary>
    public ISourceConnector Get(string kind) =>
        Find(kind) ?? throw new UnknownSourceKindException($"unknown source kind '{kind}' (known: {string.Join(", ", Kinds)})");

    /// <summary>
    /// The connector whose kind the source's content shows. A file no connector recognises goes to the first
    /// registered one, whose reader then says precisely what is wrong with it (a compressed tar, UTF-16 JSON…);
    /// a folder no connector recognises is an <see cref="UnknownSourceKindException"/>.
    /// </summary>
    public ISourceConnector Detect(string path)
    {
        if (_connectors.Count == 0)
            throw new InvalidOperationException("no source connector is registered");
        if (Directory.Exists(path))
        {
            return _connectors.FirstOrDefault(c => c.Recognizes(new SourceSample(path, ReadOnlyMemory<byte>.Empty)))
                ?? throw new UnknownSourceKindException(
                    $"{path}: no connector reads this folder (a Slack export folder holds channels.json or users.json, an unpacked Skype export messages.json); name its kind with --source ({string.Join(", ", Kinds)})");
        }
        var head = new byte[SampleBytes];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var sample = new SourceSample(path, head.AsMemory(0, read));
        return _connectors.FirstOrDefault(c => c.Recognizes(sample)) ?? _connectors[0];
    }
}

/// <summary>A job names a source kind that no registered connector reads.</summary>
public sealed class UnknownSourceKindException(string message) : ArgumentException(message);
