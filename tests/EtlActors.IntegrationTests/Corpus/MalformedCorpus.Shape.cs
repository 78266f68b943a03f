using static EtlActors.IntegrationTests.Corpus.CorpusFiles;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>Valid JSON that is not shaped like a Skype export.</summary>
public static partial class MalformedCorpus
{
    private const string ConversationsObject = "{\"userId\":\"8:live:me\",\n\"conversations\":{\"id\":\"8:live:bob\",\"MessageList\":[]}}";
    private const string MessageListString = "{\"conversations\":[\n{\"id\":\"8:live:bob\",\"MessageList\":\"none\"}]}";
    private const string NoConversations = "{\"userId\":\"8:live:me\",\"exportDate\":\"2024-03-01T10:00\"}";

    public static IReadOnlyList<CorpusCase> ShapeCases => field ??=
    [
        Case("top-level-array", "messages.json",
            "the export wrapped in an array",
            Text("[" + GoodExport + "]"),
            new Fails("line 1, byte 0: the top level is not a JSON object")),

        Case("conversations-not-an-array", "messages.json",
            "\"conversations\" holds one conversation object instead of an array of them",
            Text(ConversationsObject),
            new Fails($"{At(ConversationsObject, "{\"id\"")}: \"conversations\" is not an array")),

        Case("messagelist-not-an-array", "messages.json",
            "a conversation's \"MessageList\" is a string",
            Text(MessageListString),
            new Fails($"{At(MessageListString, "\"none\"")}: \"MessageList\" is not an array")),

        Case("no-conversations", "messages.json",
            "a top-level object without \"conversations\"",
            Text(NoConversations),
            new Fails($"{At(NoConversations, "}")}: the export holds no \"conversations\" array")),
    ];
}
