using EtlActors.IntegrationTests.Support;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>
/// One malformed input: the file it is (written by <see cref="Write"/> into a fresh folder, so
/// no binary blobs live in git), what is wrong with it, and what `etl run` must end with.
/// </summary>
public sealed record CorpusCase(string Name, string FileName, string WhatIsWrong, Func<string, Task> Write, CorpusOutcome Expected)
{
    public string JobId => "corpus-" + Name;

    public override string ToString() => $"{Name} ({FileName}): {WhatIsWrong}";
}

/// <summary>How a case must end.</summary>
public abstract record CorpusOutcome;

/// <summary>
/// The job fails (exit 1) with exactly one line on stderr:
/// <c>error: job corpus-&lt;name&gt; failed: &lt;file as given&gt;: &lt;Reason&gt;</c>, where the reason
/// carries the line and byte wherever the format has them. When <paramref name="NamesFile"/> is
/// false the reason follows "failed: " directly (a failure that is about the job, not the file).
/// </summary>
public sealed record Fails(string Reason, bool NamesFile = true) : CorpusOutcome;

/// <summary>
/// The job completes (exit 0). <paramref name="Messages"/> lists the loaded messages as
/// <c>conversation_id/message_id: content_text</c> in key order; <paramref name="Quarantined"/>
/// lists the quarantined records as <c>offset error_code: message</c> in offset order.
/// </summary>
public sealed record Loads(int Conversations, IReadOnlyList<string> Messages, IReadOnlyList<string> Quarantined) : CorpusOutcome
{
    /// <summary>Anything else to check once loaded: the case's folder and the SQLite tables.</summary>
    public Func<string, Tables, Task>? Also { get; init; }
}
