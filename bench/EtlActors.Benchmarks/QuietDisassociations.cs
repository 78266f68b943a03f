using System.Text;

namespace EtlActors.Benchmarks;

/// <summary>
/// Drops the EtlClient actor system's "Disassociated" errors from stdout: every SIGKILL makes the
/// client's remoting print one with a stack trace per connection to the killed node, which is the
/// expected effect of the kill and would bury the figures.
/// </summary>
internal sealed class QuietDisassociations(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value)
    {
        if (!IsDisassociation(value))
            inner.Write(value);
    }

    public override void WriteLine(string? value)
    {
        if (!IsDisassociation(value))
            inner.WriteLine(value);
    }

    public override void Flush() => inner.Flush();

    private static bool IsDisassociation(string? text) =>
        text is not null && text.Contains("akka://etl-client/", StringComparison.Ordinal) && text.Contains("Disassociated", StringComparison.Ordinal);
}
