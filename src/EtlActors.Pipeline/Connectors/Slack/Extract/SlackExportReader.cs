using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>
/// Streams a Slack export's records in a fixed order — users, conversations (metadata files, then folders no
/// file lists), then every element of every day file, folder by folder and day by day — so that a record's
/// ordinal is the same in every run over the same export. One day file is in memory at a time.
/// </summary>
internal static class SlackExportReader
{
    /// <summary>The partition key of user records: one transformer entity takes the directory.</summary>
    public const string UsersPartition = "@users";

    /// <summary>Names of the hints the reader gives the normaliser (<see cref="ExtractedRecord.Hints"/>).</summary>
    public const string FileHint = "file", IndexHint = "index", FolderHint = "folder", ErrorHint = "error";

    /// <summary>The hint holding the display name of user <paramref name="id"/>; present only for users in users.json.</summary>
    public static string UserHint(string id) => "@" + id;

    public static async IAsyncEnumerable<ExtractedRecord> ReadAsync(string path, long fromOffset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var export = SlackExport.Open(path);
        if (!SlackLayout.IsExport(export.Files))
            throw new SourceFormatException(path, "not a Slack export: it holds neither channels.json nor users.json at its top level");
        var folders = SlackLayout.DayFiles(export.Files);
        var directory = await SlackDirectory.LoadAsync(export, folders.Select(f => f.Folder), cancellationToken).ConfigureAwait(false);

        long offset = 0;
        foreach (var user in directory.Users)
        {
            if (offset >= fromOffset)
                yield return new ExtractedRecord(offset, RecordKind.Participant, UsersPartition, user.Raw);
            offset++;
        }

        foreach (var conversation in directory.Conversations)
        {
            if (offset >= fromOffset)
                yield return new ExtractedRecord(offset, RecordKind.Conversation, conversation.Id ?? "", conversation.Raw,
                    ConversationHints(conversation, directory.UserNames));
            offset++;
        }

        foreach (var (folder, dayFiles) in folders)
        {
            var conversationId = directory.ConversationOfFolder[folder];
            foreach (var file in dayFiles)
            {
                await foreach (var record in DayFileAsync(export, file, conversationId, offset, directory.UserNames, cancellationToken).ConfigureAwait(false))
                {
                    offset = record.Offset + 1;
                    if (record.Offset >= fromOffset)
                        yield return record;
                }
            }
        }
    }

    private static async IAsyncEnumerable<ExtractedRecord> DayFileAsync(
        SlackExport export, string file, string conversationId, long offset, Dictionary<string, string> userNames,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonDocument? document = null;
        string? error = null;
        var stream = export.OpenFile(file);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                error = $"line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}: not valid JSON: {SlackDirectory.FirstSentence(ex.Message)}";
            }
        }
        if (document is null)
        {
            // The file counts as one record, quarantined with its text: the job goes on with the next day.
            yield return new ExtractedRecord(offset, RecordKind.Message, conversationId, await TextOfAsync(export, file, cancellationToken).ConfigureAwait(false),
                new Dictionary<string, string> { [FileHint] = export.Describe(file), [ErrorHint] = error! });
            yield break;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                if (root.ValueKind != JsonValueKind.Null)
                    yield return new ExtractedRecord(offset, RecordKind.Message, conversationId, root.GetRawText(),
                        new Dictionary<string, string> { [FileHint] = export.Describe(file), [ErrorHint] = $"expected an array of messages, found {root.ValueKind.ToString().ToLowerInvariant()}" });
                yield break;
            }
            var index = 0;
            var described = export.Describe(file); // one string for the whole day's hints
            foreach (var element in root.EnumerateArray())
            {
                yield return new ExtractedRecord(offset++, RecordKind.Message, conversationId, element.GetRawText(),
                    MessageHints(described, index++, element, userNames));
            }
        }
    }

    private static async Task<string> TextOfAsync(SlackExport export, string file, CancellationToken cancellationToken)
    {
        var stream = export.OpenFile(file);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string> MessageHints(string file, int index, JsonElement message, Dictionary<string, string> userNames)
    {
        var hints = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FileHint] = file,
            [IndexHint] = index.ToString(CultureInfo.InvariantCulture),
        };
        if (message.ValueKind != JsonValueKind.Object)
            return hints;
        AddUser(hints, userNames, SlackNames.NonBlank(message, "user"));
        AddUser(hints, userNames, SlackNames.NonBlank(message, "parent_user_id"));
        if (SlackNames.NonBlank(message, "text") is { } text)
        {
            foreach (var id in SlackMentions.UserIds(text))
                AddUser(hints, userNames, id);
        }
        return hints;
    }

    // A direct message has no name of its own: it is named after its members.
    private static Dictionary<string, string> ConversationHints(SlackConversation conversation, Dictionary<string, string> userNames)
    {
        var hints = new Dictionary<string, string>(StringComparer.Ordinal);
        if (conversation.File is not null)
            hints[FileHint] = conversation.File;
        if (conversation.Folder is not null)
            hints[FolderHint] = conversation.Folder;
        if (conversation.File is "dms.json" or "mpims.json")
        {
            foreach (var member in conversation.Members)
                AddUser(hints, userNames, member);
        }
        return hints;
    }

    private static void AddUser(Dictionary<string, string> hints, Dictionary<string, string> userNames, string? id)
    {
        if (id is not null && userNames.TryGetValue(id, out var name))
            hints[UserHint(id)] = name;
    }
}
