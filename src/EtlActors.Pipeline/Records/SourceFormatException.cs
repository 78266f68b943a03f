namespace EtlActors.Pipeline.Records;

/// <summary>
/// The source cannot be read as what it claims to be (not a tar, not JSON, truncated, invalid
/// UTF-8). The message names the file and, where known, the position, for the user to see.
/// </summary>
public sealed class SourceFormatException : Exception
{
    public SourceFormatException(string file, string problem, long? line = null, long? bytePositionInLine = null, Exception? inner = null)
        : base(Describe(file, problem, line, bytePositionInLine), inner)
    {
        File = file;
        Problem = problem;
        Line = line;
        BytePositionInLine = bytePositionInLine;
    }

    public string File { get; }
    public string Problem { get; }
    /// <summary>1-based line, when known.</summary>
    public long? Line { get; }
    /// <summary>0-based byte position within the line, when known.</summary>
    public long? BytePositionInLine { get; }

    private static string Describe(string file, string problem, long? line, long? pos) =>
        line is null ? $"{file}: {problem}" : $"{file}: line {line}, byte {pos ?? 0}: {problem}";
}
