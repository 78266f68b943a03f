using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EtlActors.Testing;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>
/// The Slack export generator, read back with System.Text.Json alone (not the connector): exact message counts,
/// the same bytes for the same seed, in both the zip and the folder form.
/// </summary>
public sealed partial class SyntheticSlackExportTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_day_file_element_is_a_message_and_they_add_up_to_the_requested_count(bool asZip)
    {
        var path = _files.PathOf(asZip ? "slack.zip" : "slack");
        var info = SyntheticSlackExport.Write(path, new SyntheticSlackOptions(Messages: 3000, Conversations: 23, Users: 40, Seed: 7, AsZip: asZip));

        var files = ReadAll(path);

        Assert.Equal(3000, info.MessageCount);
        Assert.Equal(23, info.ConversationCount);
        Assert.Equal(40, Elements(files["users.json"]).Count);
        var metadata = new[] { "channels.json", "groups.json", "dms.json", "mpims.json" }
            .SelectMany(f => Elements(files[f]).Select(c => (File: f, Id: c.GetProperty("id").GetString()!, Name: c.TryGetProperty("name", out var n) ? n.GetString() : null)))
            .ToList();
        Assert.Equal(info.ConversationCount, metadata.Count);
        Assert.All(new[] { "channels.json", "groups.json", "dms.json", "mpims.json" }, f => Assert.NotEmpty(Elements(files[f])));

        var days = files.Keys.Where(k => DayFile().IsMatch(k)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(info.DayFiles, days.Count);
        var messages = days.SelectMany(d => Elements(files[d]).Select(m => (Folder: d[..d.IndexOf('/', StringComparison.Ordinal)], Day: d, Message: m))).ToList();
        Assert.Equal(3000, messages.Count);
        Assert.All(messages, m => Assert.Equal("message", m.Message.GetProperty("type").GetString()));

        // Per conversation: counts as reported, the folder named as Slack names it, ts strictly increasing and on the file's date.
        foreach (var conversation in info.PerConversation)
        {
            var listed = metadata.Single(c => c.Id == conversation.Id);
            var expectedFolder = listed.File == "dms.json" ? listed.Id : listed.Name;
            Assert.Equal(expectedFolder, conversation.Folder);
            var own = messages.Where(x => x.Folder == conversation.Folder).ToList();
            Assert.Equal(conversation.Messages, own.Count);
            Assert.Equal(conversation.DayFiles, own.Select(x => x.Day).Distinct().Count());
            var stamps = own.Select(x => Micros(x.Message.GetProperty("ts").GetString()!)).ToList();
            Assert.True(stamps.Zip(stamps.Skip(1)).All(p => p.First < p.Second), $"{conversation.Folder}: ts not strictly increasing");
            Assert.All(own, x => Assert.EndsWith(
                DateTime.UnixEpoch.AddTicks(Micros(x.Message.GetProperty("ts").GetString()!) * 10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json", x.Day, StringComparison.Ordinal));
        }

        Assert.Equal(3000, info.PerConversation.Sum(c => c.Messages));
        Assert.Equal(3000, info.Subtypes.Values.Sum());
        var allTs = messages.Select(m => m.Message.GetProperty("ts").GetString()).ToList();
        Assert.Equal(allTs.Count, allTs.Distinct().Count());

        // Threads: each reply's parent lists it; some replies land in a later day file than their parent.
        var byTs = messages.ToDictionary(m => (m.Folder, m.Message.GetProperty("ts").GetString()!));
        var replies = messages.Where(m => m.Message.TryGetProperty("parent_user_id", out _)).ToList();
        Assert.Equal(info.Replies, replies.Count);
        Assert.NotEmpty(replies);
        foreach (var reply in replies)
        {
            var parent = byTs[(reply.Folder, reply.Message.GetProperty("thread_ts").GetString()!)];
            Assert.Equal(parent.Message.GetProperty("user").GetString(), reply.Message.GetProperty("parent_user_id").GetString());
            Assert.Contains(parent.Message.GetProperty("replies").EnumerateArray(), r => r.GetProperty("ts").GetString() == reply.Message.GetProperty("ts").GetString());
        }

        Assert.Contains(replies, r => string.CompareOrdinal(r.Day, byTs[(r.Folder, r.Message.GetProperty("thread_ts").GetString()!)].Day) > 0);
        Assert.Equal(info.Threads, messages.Count(m => m.Message.TryGetProperty("reply_count", out _)));

        // The mix: bot messages have no user; shared files carry a tokened url_private; slashes are escaped as Slack writes them.
        Assert.All(messages.Where(m => Subtype(m.Message) == "bot_message"), m =>
        {
            Assert.False(m.Message.TryGetProperty("user", out _));
            Assert.StartsWith("B", m.Message.GetProperty("bot_id").GetString(), StringComparison.Ordinal);
        });
        Assert.All(messages.Where(m => Subtype(m.Message) == "file_share"), m =>
            Assert.Contains("?t=" + SyntheticSlackExport.FileTokenPrefix, m.Message.GetProperty("files")[0].GetProperty("url_private").GetString(), StringComparison.Ordinal));
        Assert.All(new[] { "channel_join", "bot_message", "file_share" }, s => Assert.Contains(messages, m => Subtype(m.Message) == s));
        Assert.Contains(messages, m => m.Message.TryGetProperty("edited", out _));
        Assert.Contains(messages, m => m.Message.TryGetProperty("reactions", out _));
        Assert.Contains(messages, m => m.Message.TryGetProperty("user_profile", out _));
        Assert.Contains(messages, m => m.Message.GetProperty("text").GetString()!.Contains("<@U", StringComparison.Ordinal));
        Assert.Contains(files.Values, bytes => Encoding.UTF8.GetString(bytes).Contains("https:\\/\\/", StringComparison.Ordinal));
        Assert.Contains(Elements(files["users.json"]), u => u.GetProperty("deleted").GetBoolean());
        Assert.Contains(Elements(files["users.json"]), u => u.GetProperty("is_bot").GetBoolean());

        if (asZip)
        {
            Assert.Equal(new FileInfo(path).Length, info.Bytes);
        }

        Assert.Equal(files.Values.Sum(b => (long)b.Length), info.UncompressedBytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_same_seed_writes_the_same_bytes(bool asZip)
    {
        var options = new SyntheticSlackOptions(Messages: 800, Conversations: 9, Users: 15, Seed: 3, AsZip: asZip);

        SyntheticSlackExport.Write(_files.PathOf("a"), options);
        SyntheticSlackExport.Write(_files.PathOf("b"), options);
        SyntheticSlackExport.Write(_files.PathOf("c"), options with { Seed = 4 });

        Assert.Equal(Hash("a", asZip), Hash("b", asZip));
        Assert.NotEqual(Hash("a", asZip), Hash("c", asZip));
    }

    [Fact]
    public void An_export_without_messages_has_only_its_metadata()
    {
        var path = _files.PathOf("empty");
        var info = SyntheticSlackExport.Write(path, new SyntheticSlackOptions(Messages: 0, Conversations: 5, Users: 3, AsZip: false));

        Assert.Equal(0, info.DayFiles);
        Assert.Equal(new[] { "channels.json", "dms.json", "groups.json", "integration_logs.json", "mpims.json", "users.json" }, ReadAll(path).Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>Every file of the export by its relative path (zip entries without the directory entries).</summary>
    private static Dictionary<string, byte[]> ReadAll(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(path, f).Replace('\\', '/'), File.ReadAllBytes);
        }

        using var zip = ZipFile.OpenRead(path);
        var files = new Dictionary<string, byte[]>();
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add(entry.FullName, copy.ToArray());
        }

        return files;
    }

    private static List<JsonElement> Elements(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string? Subtype(JsonElement message) => message.TryGetProperty("subtype", out var s) ? s.GetString() : null;

    private static long Micros(string ts)
    {
        var dot = ts.IndexOf('.', StringComparison.Ordinal);
        Assert.Equal(6, ts.Length - dot - 1);
        return (long.Parse(ts[..dot], CultureInfo.InvariantCulture) * 1_000_000) + long.Parse(ts[(dot + 1)..], CultureInfo.InvariantCulture);
    }

    private string Hash(string name, bool asZip)
    {
        var path = _files.PathOf(name);
        if (asZip)
        {
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (file, bytes) in ReadAll(path).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(bytes);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    [GeneratedRegex(@"^[^/]+/\d{4}-\d{2}-\d{2}\.json$")]
    private static partial Regex DayFile();
}
