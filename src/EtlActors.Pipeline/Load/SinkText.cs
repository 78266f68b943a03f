using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EtlActors.Pipeline.Load;

/// <summary>Values as both databases store them.</summary>
internal static class SinkText
{
    private const char Replacement = '\uFFFD';

    /// <summary>
    /// PostgreSQL rejects NUL in text and Npgsql rejects unpaired surrogates; both become U+FFFD
    /// (SQLite's UTF-8 encoder does the same to a lone surrogate, so the two sinks agree).
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Clean(string? value)
    {
        if (value is null)
            return null;
        var span = value.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return value;
        return string.Create(value.Length, value, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (c == '\0')
                    c = Replacement;
                else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    target[i] = c;
                    target[++i] = source[i];
                    continue;
                }
                else if (char.IsSurrogate(c))
                    c = Replacement;
                target[i] = c;
            }
        });
    }

    /// <summary>SQLite keeps timestamps as ISO-8601 UTC text, which sorts and compares in time order.</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
