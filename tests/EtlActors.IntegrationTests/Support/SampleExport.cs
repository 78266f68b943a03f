using System.Text.Json;

namespace EtlActors.IntegrationTests.Support;

/// <summary>What the sample export holds, counted from its JSON independently of the pipeline.</summary>
public sealed record SampleExport(int Conversations, int Messages, int Participants)
{
    public static SampleExport Count(string messagesJson)
    {
        using var stream = File.OpenRead(messagesJson);
        using var doc = JsonDocument.Parse(stream);
        var conversations = doc.RootElement.GetProperty("conversations").EnumerateArray().ToList();
        var messages = conversations.SelectMany(c => c.GetProperty("MessageList").EnumerateArray()).ToList();
        var senders = messages
            .Select(m => m.GetProperty("from").GetString()!)
            .Select(f => f.Contains('/') ? f[(f.LastIndexOf('/') + 1)..] : f)
            .Select(f => f.Length > 2 && char.IsDigit(f[0]) && f.Contains(':') ? f : "8:" + f)
            .ToHashSet();
        // A named direct conversation also names its other participant.
        foreach (var c in conversations)
        {
            var id = c.GetProperty("id").GetString()!;
            if (id.StartsWith("8:", StringComparison.Ordinal) && c.TryGetProperty("displayName", out var name) && name.ValueKind == JsonValueKind.String)
                senders.Add(id);
        }
        return new SampleExport(conversations.Count, messages.Count, senders.Count);
    }
}
