namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Skype ids carry a type prefix (<c>8:</c> for a Skype user, <c>28:</c> for a bot, ...). Some exports
/// drop it on <c>from</c>, or give the sender as a contact URL; both are brought back to the prefixed form
/// so one person has one participant id.
/// </summary>
internal static class SkypeParticipantIds
{
    public static string? Normalize(string? from)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            return null;
        }

        var id = from.Trim();
        if (id.Contains("://", StringComparison.Ordinal))
        {
            id = Uri.UnescapeDataString(id[(id.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/'));
            if (id.Length == 0)
            {
                return null;
            }
        }

        return HasTypePrefix(id) ? id : "8:" + id;
    }

    private static bool HasTypePrefix(string id)
    {
        var i = 0;
        while (i < id.Length && char.IsAsciiDigit(id[i]))
        {
            i++;
        }

        return i > 0 && i < id.Length && id[i] == ':';
    }
}
