using System.Globalization;
using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// A shared location (<c>RichText/Location</c>): <c>&lt;location latitude="51503400" longitude="-127600"
/// address="10 Downing St" …&gt;&lt;a href="https://www.bing.com/maps/…"&gt;10 Downing St&lt;/a&gt;&lt;/location&gt;</c>
/// reads "Location: 10 Downing St (51.5034, -0.1276)".
/// </summary>
internal static class SkypeLocationText
{
    private const double MicrodegreesPerDegree = 1_000_000;

    /// <summary>
    /// Reads a <c>location</c> start tag and, unless it is self-closing, consumes the element up to its end tag.
    /// The place is the first non-blank of <c>address</c>, <c>addressFriendlyName</c>, <c>shortAddress</c> and the
    /// element's visible text (the map link's); coordinates appear only when both are readable and in range,
    /// so a broken attribute drops the coordinates rather than showing wrong ones. With neither, the element
    /// reads as its (blank) visible text.
    /// </summary>
    public static string Read(MarkupToken location, IEnumerator<MarkupToken> tokens)
    {
        var visible = new StringBuilder();
        if (!location.SelfClosing)
        {
            foreach (var token in MarkupElement.Inside(tokens, "location"))
            {
                visible.Append(token.Kind == MarkupTokenKind.Text ? token.Value : "");
            }
        }

        var place = new[] { location.Attribute("address"), location.Attribute("addressFriendlyName"), location.Attribute("shortAddress"), visible.ToString() }
            .Select(text => PlainTextWhitespace.Collapse(text ?? ""))
            .FirstOrDefault(text => text.Length > 0);
        var coordinates = Coordinates(location);
        return (place, coordinates) switch
        {
            (null, null) => visible.ToString(),
            (_, null) => "Location: " + place,
            (null, _) => "Location: " + coordinates,
            _ => $"Location: {place} ({coordinates})",
        };
    }

    private static string? Coordinates(MarkupToken location) =>
        Degrees(location.Attribute("latitude"), 90) is { } latitude && Degrees(location.Attribute("longitude"), 180) is { } longitude
            ? $"{Format(latitude)}, {Format(longitude)}"
            : null;

    // Skype writes integer microdegrees (latitude="59436810" is 59.43681°, as SkPy and Skyperious read it); a
    // value with a decimal point is taken as degrees already, which is what any other writer would put there.
    private static double? Degrees(string? text, double limit)
    {
        var trimmed = text?.Trim() ?? "";
        if (!double.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var degrees = trimmed.Contains('.', StringComparison.Ordinal) ? value : value / MicrodegreesPerDegree;
        return double.IsFinite(degrees) && Math.Abs(degrees) <= limit ? degrees : null;
    }

    // Six decimals is Skype's own precision (about 0.1 m); "+ 0.0" turns a rounded -0 into 0.
    private static string Format(double degrees) =>
        (Math.Round(degrees, 6) + 0.0).ToString("0.######", CultureInfo.InvariantCulture);
}
