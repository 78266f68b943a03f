using System.Globalization;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Files.Mapping;

/// <summary>
/// A path into a JSON object: property names separated by dots, each optionally followed by array
/// indexes (<c>user.name</c>, <c>tags[0]</c>, <c>items[2].price</c>). A leading <c>$.</c> is allowed.
/// </summary>
public sealed class JsonPath
{
    private readonly (string? Property, int? Index)[] _steps;

    private JsonPath((string? Property, int? Index)[] steps) => _steps = steps;

    /// <summary>What makes <paramref name="path"/> not a path, or null when it is one.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryParse(path, out _, out var problem) ? null : problem;
    }

    /// <summary>The path <paramref name="path"/>; it must be one (see <see cref="Problem"/>).</summary>
    public static JsonPath Parse(string path) =>
        TryParse(path, out var parsed, out var problem) ? parsed : throw new FormatException(problem);

    /// <summary>The value at this path in <paramref name="root"/>, or null when some step is missing.</summary>
    public JsonElement? Find(JsonElement root)
    {
        var at = root;
        foreach (var (property, index) in _steps)
        {
            if (property is not null)
            {
                if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(property, out at))
                    return null;
            }
            else
            {
                if (at.ValueKind != JsonValueKind.Array || index >= at.GetArrayLength())
                    return null;
                at = at[index!.Value];
            }
        }
        return at;
    }

    private static bool TryParse(string path, out JsonPath parsed, out string problem)
    {
        parsed = null!;
        problem = "";
        var text = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        var steps = new List<(string?, int?)>();
        foreach (var part in text.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length == 0 && (bracket != 0 || steps.Count == 0))
            {
                problem = "a property name is empty";
                return false;
            }
            if (name.Length > 0)
                steps.Add((name, null));
            var rest = bracket < 0 ? "" : part[bracket..];
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 0
                    || !int.TryParse(rest.AsSpan(1, close - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    problem = $"'{part}' has an array index that is not [n] with n a whole number";
                    return false;
                }
                steps.Add((null, index));
                rest = rest[(close + 1)..];
            }
        }
        parsed = new JsonPath([.. steps]);
        return true;
    }
}
