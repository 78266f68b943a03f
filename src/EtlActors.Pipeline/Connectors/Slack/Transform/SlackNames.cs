using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Slack;

/// <summary>Which of the names Slack gives a person is the one to show.</summary>
internal static class SlackNames
{
    /// <summary>
    /// A <c>users.json</c> user's name: the profile's display name, else the real name, else the user name.
    /// Also reads a message's <c>user_profile</c>, which has the same fields.
    /// </summary>
    public static string? DisplayName(JsonElement user)
    {
        var profile = user.TryGetProperty("profile", out var p) && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
        return NonBlank(profile, "display_name") ?? NonBlank(user, "display_name")
            ?? NonBlank(profile, "real_name") ?? NonBlank(user, "real_name")
            ?? NonBlank(user, "name");
    }

    /// <summary>A string property that is not blank.</summary>
    public static string? NonBlank(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
}
