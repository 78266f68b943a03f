using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>A user from <c>users.json</c>: its id (null when it has none) and its element's JSON.</summary>
internal sealed record SlackUser(string? Id, string Raw);

/// <summary>
/// A conversation: from a metadata file (<paramref name="File"/>, its element in <paramref name="Raw"/>), or a
/// folder no metadata file lists (File null, Raw <c>{}</c>). <paramref name="Id"/> is null for an element without one.
/// </summary>
internal sealed record SlackConversation(string? Id, string? Folder, string? File, string Raw, IReadOnlyList<string> Members);

/// <summary>
/// The export's metadata files, read whole before the messages (they are small beside the day files): users,
/// the names messages refer to, conversations, and which folder holds which conversation's day files.
/// </summary>
internal sealed class SlackDirectory
{
    public List<SlackUser> Users { get; } = [];
    public Dictionary<string, string> UserNames { get; } = new(StringComparer.Ordinal);
    public List<SlackConversation> Conversations { get; } = [];
    /// <summary>Conversation id by folder name: a channel's folder is its name, a direct message's its id.</summary>
    public Dictionary<string, string> ConversationOfFolder { get; } = new(StringComparer.Ordinal);

    public static async Task<SlackDirectory> LoadAsync(SlackExport export, IEnumerable<string> folders, CancellationToken cancellationToken)
    {
        var directory = new SlackDirectory();
        foreach (var user in await ElementsAsync(export, SlackLayout.Users, cancellationToken).ConfigureAwait(false))
        {
            var id = Text(user, "id");
            directory.Users.Add(new SlackUser(id, user.GetRawText()));
            if (id is not null && SlackNames.DisplayName(user) is { } name)
                directory.UserNames.TryAdd(id, name);
        }

        foreach (var (file, _) in SlackLayout.ConversationFiles)
        {
            foreach (var element in await ElementsAsync(export, file, cancellationToken).ConfigureAwait(false))
            {
                var id = Text(element, "id");
                var name = Text(element, "name");
                var members = element.TryGetProperty("members", out var m) && m.ValueKind == JsonValueKind.Array
                    ? m.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                    : [];
                var folder = id is null ? null : name ?? id;
                directory.Conversations.Add(new SlackConversation(id, folder, file, element.GetRawText(), members));
                if (id is not null)
                {
                    directory.ConversationOfFolder.TryAdd(id, id);
                    if (name is not null)
                        directory.ConversationOfFolder.TryAdd(name, id);
                }
            }
        }

        // Real exports have folders that no metadata file lists (a channel left before the export): still conversations.
        foreach (var folder in folders)
        {
            if (directory.ConversationOfFolder.TryAdd(folder, folder))
                directory.Conversations.Add(new SlackConversation(folder, folder, null, "{}", []));
        }
        return directory;
    }

    /// <summary>A metadata file's object elements. Missing, <c>null</c>, <c>[]</c> and <c>[""]</c> all mean none.</summary>
    private static async Task<List<JsonElement>> ElementsAsync(SlackExport export, string file, CancellationToken cancellationToken)
    {
        if (!export.Has(file))
            return [];
        JsonDocument document;
        var stream = export.OpenFile(file);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new SourceFormatException(export.Describe(file), $"not valid JSON: {FirstSentence(ex.Message)}",
                    (ex.LineNumber ?? 0) + 1, ex.BytePositionInLine ?? 0, ex);
            }
        }
        // Elements are cloned so the document can go; metadata files are small.
        using (document)
        {
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.Null => [],
                JsonValueKind.Array => document.RootElement.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.Object).Select(e => e.Clone()).ToList(),
                var kind => throw new SourceFormatException(export.Describe(file), $"expected an array, found {kind.ToString().ToLowerInvariant()}"),
            };
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …": the exception's own fields say that better.
    internal static string FirstSentence(string message) =>
        message.IndexOf(" Path:", StringComparison.Ordinal) is var at and > 0 ? message[..at] : message;
}
