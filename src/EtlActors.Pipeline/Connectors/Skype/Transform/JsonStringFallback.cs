using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Reads a JSON string even when it holds an escaped lone surrogate (<c>"\uD83D"</c>, half an emoji,
/// as truncated Skype messages do). System.Text.Json refuses such strings outright; losing the whole
/// message for half a character is worse than showing U+FFFD in its place.
/// </summary>
internal static class JsonStringFallback
{
    public static string GetString(JsonElement element)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException) when (element.ValueKind == JsonValueKind.String)
        {
            return Unescape(element.GetRawText());
        }
    }

    /// <summary>Decodes a raw JSON string literal (quotes included), replacing unpaired surrogates.</summary>
    internal static string Unescape(string literal)
    {
        var sb = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\' || i + 1 >= literal.Length - 1)
            {
                sb.Append(c);
                continue;
            }

            var e = literal[++i];
            switch (e)
            {
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when i + 4 < literal.Length
                    && ushort.TryParse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return ReplaceLoneSurrogates(sb);
    }

    private static string ReplaceLoneSurrogates(StringBuilder sb)
    {
        for (var i = 0; i < sb.Length; i++)
        {
            if (char.IsHighSurrogate(sb[i]) && i + 1 < sb.Length && char.IsLowSurrogate(sb[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(sb[i]))
            {
                sb[i] = '\uFFFD';
            }
        }

        return sb.ToString();
    }
}
