using System.Formats.Tar;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EtlActors.Testing;

/// <summary>
/// Writes a deterministic, realistic Skype export of any size for tests and benchmarks: direct
/// (<c>8:</c>), group (<c>19:…@thread.skype</c>) and bot (<c>28:</c>) conversations whose messages
/// (newest first) mix rich text, plain text, files, calls, membership events, edits and deletes;
/// about 480 bytes a message. The output streams to disk, so a million messages cost no memory.
/// </summary>
public static class SyntheticSkypeExport
{
    private const int FlushBytes = 256 * 1024;
    private const string Me = "8:live:me";
    private static readonly DateTimeOffset _exportTime = new(2020, 7, 15, 13, 22, 0, TimeSpan.Zero);

    public static SyntheticExportInfo Write(string path, SyntheticExportOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Conversations, 1);
        if (!options.AsTar)
        {
            WriteJson(path, options);
            return new SyntheticExportInfo(options.Messages, options.Conversations, new FileInfo(path).Length);
        }

        var json = path + ".messages.json.tmp";
        try
        {
            WriteJson(json, options);
            WriteTar(path, json);
        }
        finally
        {
            File.Delete(json);
        }

        return new SyntheticExportInfo(options.Messages, options.Conversations, new FileInfo(path).Length);
    }

    private static void WriteJson(string path, SyntheticExportOptions options)
    {
        var random = new Random(options.Seed);
        var content = new SyntheticSkypeContent(random);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("userId", Me);
        writer.WriteString("exportDate", _exportTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartArray("conversations");
        var counts = Spread(options.Messages, options.Conversations, random);
        for (var i = 0; i < counts.Length; i++)
        {
            var conversation = SyntheticConversation.Create(i, random, content);
            WriteConversation(writer, conversation, counts[i], random, content);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteConversation(Utf8JsonWriter writer, SyntheticConversation conversation, int messages, Random random, SyntheticSkypeContent content)
    {
        // Newest first, as Skype writes them; each step back is at least a millisecond so ids are unique.
        var time = _exportTime.ToUnixTimeMilliseconds() - random.NextInt64(0, 30L * 24 * 3600 * 1000);
        writer.WriteStartObject();
        writer.WriteString("id", conversation.Id);
        writer.WriteString("displayName", conversation.DisplayName);
        writer.WritePropertyName("version");
        if (conversation.Index % 4 == 0)
        {
            writer.WriteRawValue($"{time}.0"); // Skype sometimes writes the version as a float
        }
        else
        {
            writer.WriteNumberValue(time);
        }

        conversation.WriteProperties(writer, time);
        writer.WriteStartArray("MessageList");
        for (var m = 0; m < messages; m++)
        {
            WriteMessage(writer, conversation, time, random, content);
            time -= random.Next(1, 600_000);
            if (writer.BytesPending > FlushBytes)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, SyntheticConversation conversation, long time, Random random, SyntheticSkypeContent content)
    {
        var (senderId, senderName) = conversation.PickSender(random);
        var type = content.MessageType(conversation.IsGroup);
        var roll = random.Next(100);
        var edited = roll < 5 && type is "RichText" or "Text";
        var deleted = roll is >= 5 and < 7 && type is "RichText" or "Text";
        writer.WriteStartObject();
        writer.WriteString("id", time.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (senderId != Me && random.Next(10) < 7)
        {
            writer.WriteString("displayName", senderName);
        }
        else
        {
            writer.WriteNull("displayName");
        }

        writer.WriteString("originalarrivaltime", DateTimeOffset.FromUnixTimeMilliseconds(time).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("messagetype", type);
        writer.WriteNumber("version", time);
        var target = conversation.PickMember(random);
        writer.WriteString("content", deleted ? string.Empty : content.Content(type, senderId, senderName, target, time));
        writer.WriteString("conversationid", conversation.Id);
        writer.WriteString("from", senderId);
        if (edited || deleted)
        {
            writer.WriteStartObject("properties");
            writer.WriteString(edited ? "edittime" : "deletetime", (time + random.Next(1000, 3_600_000)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("properties");
        }

        writer.WriteNull("amsreferences");
        writer.WriteEndObject();
    }

    /// <summary>Uneven but exact: every conversation gets a share by random weight, summing to the total.</summary>
    private static int[] Spread(int messages, int conversations, Random random)
    {
        var weights = new double[conversations];
        for (var i = 0; i < conversations; i++)
        {
            weights[i] = 0.2 + (random.NextDouble() * 1.8);
        }

        var total = weights.Sum();
        var counts = weights.Select(w => (int)(messages * w / total)).ToArray();
        var left = messages - counts.Sum();
        for (var i = 0; left > 0; i = (i + 1) % conversations, left--)
        {
            counts[i]++;
        }

        return counts;
    }

    private static void WriteTar(string path, string json)
    {
        var when = _exportTime;
        using var archive = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1024 * 1024);
        using var tar = new TarWriter(archive, TarEntryFormat.Ustar, leaveOpen: false);
        tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "media/") { ModificationTime = when });
        using (var image = new MemoryStream(Enumerable.Range(0, 2048).Select(i => (byte)(i * 31)).ToArray()))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "media/0-weu-d3-7c1e2f9a0b4d.1.jpg") { ModificationTime = when, DataStream = image });
        }

        using var messages = new FileStream(json, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1024 * 1024);
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "messages.json") { ModificationTime = when, DataStream = messages });
    }
}

/// <summary>
/// What <see cref="SyntheticSkypeExport.Write"/> generates: <paramref name="Messages"/> messages spread
/// unevenly over <paramref name="Conversations"/> conversations (direct, group and bot), the same bytes
/// for the same <paramref name="Seed"/>; a tar (with a <c>media/</c> folder) unless <paramref name="AsTar"/> is false.
/// </summary>
public sealed record SyntheticExportOptions(int Messages, int Conversations, int Seed = 42, bool AsTar = true);

/// <summary>What was written: counts to compare a read against, and the file's size.</summary>
public sealed record SyntheticExportInfo(int Messages, int Conversations, long Bytes);
