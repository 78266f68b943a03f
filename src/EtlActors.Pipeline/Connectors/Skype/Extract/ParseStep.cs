namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>What one <see cref="SkypeJsonParser.Step"/> achieved, and so what the reader loop does next.</summary>
internal enum ParseStep
{
    /// <summary>Progress was made; step again.</summary>
    Continue,
    /// <summary>A record is ready.</summary>
    Record,
    /// <summary>The buffer holds no complete next unit; refill and step again.</summary>
    NeedMoreData,
    /// <summary>Messages start before the conversation's <c>id</c>: look it up, then step again.</summary>
    NeedConversationId,
    /// <summary>The top-level object is closed.</summary>
    Done,
}
