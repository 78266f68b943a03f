using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
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

    /// <summary>
    /// Reads the export at <paramref name="path"/> from record <paramref name="fromOffset"/>; how much of it is read is
    /// reported to <paramref name="progress"/> in bytes of its day files (users and channels are a small part of it).
    /// </summary>
    public static async IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, long fromOffset, SourceProgress? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var export = SlackExport.Open(path);
        if (!SlackLayout.IsExport(export.Files))
            throw new SourceFormatException(path, "not a Slack export: it holds neither channels.json nor users.json at its top level");
        var folders = SlackLayout.DayFiles(export.Files);
        var directory = await SlackDirectory.LoadAsync(export, folders.Select(f => f.Folder), cancellationToken).ConfigureAwait(false);
        var total = folders.Sum(f => f.DayFiles.Sum(export.SizeOf));
        var read = 0L;
        progress?.Report(read, total);

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

        var buffer = new SlackDayFile();
        foreach (var (folder, dayFiles) in folders)
        {
            var conversationId = directory.ConversationOfFolder[folder];
            foreach (var file in dayFiles)
            {
                read += export.SizeOf(file); // a day file is read whole before its first record
                progress?.Report(read, total);
                await foreach (var record in DayFileAsync(export, buffer, file, conversationId, offset, directory.UserNames, cancellationToken).ConfigureAwait(false))
                {
                    offset = record.Offset + 1;
                    if (record.Offset >= fromOffset)
                        yield return record;
                }
            }
        }
    }

    private static async IAsyncEnumerable<ExtractedRecord> DayFileAsync(
        SlackExport export, SlackDayFile buffer, string file, string conversationId, long offset, Dictionary<string, string> userNames,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> bytes;
        var stream = export.OpenFile(file);
        await using (stream.ConfigureAwait(false))
            bytes = await buffer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);

        List<SlackElement> elements;
        string? error = null;
        try
        {
            elements = SlackDayFile.Elements(bytes.Span);
        }
        catch (JsonException ex)
        {
            elements = [];
            error = $"line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}: not valid JSON: {SlackDirectory.FirstSentence(ex.Message)}";
        }
        catch (FormatException ex)
        {
            elements = [];
            error = ex.Message;
        }
        var described = export.Describe(file); // one string for the whole day's hints
        if (error is not null)
        {
            // The file counts as one record, quarantined with its text: the job goes on with the next day.
            yield return new ExtractedRecord(offset, RecordKind.Message, conversationId, Encoding.UTF8.GetString(bytes.Span),
                new Dictionary<string, string> { [FileHint] = described, [ErrorHint] = error });
            yield break;
        }
        var index = 0;
        foreach (var element in elements)
            yield return new ExtractedRecord(offset++, RecordKind.Message, conversationId, element.Raw, MessageHints(described, index++, element, userNames));
    }

    private static Dictionary<string, string> MessageHints(string file, int index, SlackElement message, Dictionary<string, string> userNames)
    {
        var hints = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FileHint] = file,
            [IndexHint] = index.ToString(CultureInfo.InvariantCulture),
        };
        if (!message.IsObject)
            return hints;
        AddUser(hints, userNames, message.User);
        AddUser(hints, userNames, message.ParentUser);
        if (message.Text is { Length: > 0 } text)
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
