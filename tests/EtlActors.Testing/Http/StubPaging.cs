using System.Globalization;
using System.Text;

namespace EtlActors.Testing.Http;

/// <summary>Where a page starts: the first, after a cursor, at an offset, or by page number.</summary>
internal abstract record StubPosition
{
    public sealed record First : StubPosition
    {
        public override string ToString() => "first";
    }

    /// <summary>After the record with this sort key (keyset paging: what every opaque cursor decodes to).</summary>
    public sealed record After(string Cursor, DateTimeOffset UpdatedAt, long Id) : StubPosition
    {
        public override string ToString() => $"cursor={Cursor}";
    }

    public sealed record Offset(int Value) : StubPosition
    {
        public override string ToString() => $"offset={Value}";
    }

    /// <summary>1-based.</summary>
    public sealed record Number(int Value) : StubPosition
    {
        public override string ToString() => $"page={Value}";
    }
}

/// <summary>Which records a request pages through: those changed since a time, of one conversation.</summary>
internal sealed record StubFilter(DateTimeOffset? Since, bool SinceExclusive = false, string? Conversation = null)
{
    public bool Admits(StubRecord record) =>
        (Conversation is null || record.Conversation == Conversation) &&
        (Since is not { } since || (SinceExclusive ? record.UpdatedAt > since : record.UpdatedAt >= since));

    public override string ToString() =>
        $"since={(Since is { } s ? StubTime.Iso(s) : "")}{(SinceExclusive ? "(excl)" : "")}" + (Conversation is null ? "" : $" channel={Conversation}");
}

/// <summary>A request for one page, as an endpoint parsed it.</summary>
/// <param name="Endpoint">Names the endpoint in the page key.</param>
internal sealed record StubPageRequest(string Endpoint, StubFilter Filter, StubPosition Position, int Size)
{
    /// <summary>Identifies the page: the same key is the same page while no record changes.</summary>
    public string PageKey => $"{Endpoint} {Position} {Filter} size={Size}";
}

/// <summary>One page of records and where the next one starts.</summary>
/// <param name="StartIndex">The index of the first record in the filtered list (what <see cref="Number"/> is derived from).</param>
/// <param name="Total">How many records the filter admits.</param>
/// <param name="NextCursor">The cursor of the next page, or null on the last.</param>
internal sealed record StubPage(IReadOnlyList<StubRecord> Records, int StartIndex, int Total, string? NextCursor)
{
    public bool HasMore => NextCursor is not null;

    /// <summary>1-based number of this page in a walk of the filtered records (what a fault's page matches).</summary>
    public int Number(int size) => StartIndex / Math.Max(1, size) + 1;
}

/// <summary>Computes pages from a store snapshot and encodes the opaque cursors.</summary>
internal static class StubPaging
{
    public static StubPage Take(StubRecord[] snapshot, StubPageRequest request)
    {
        var filtered = snapshot.Where(request.Filter.Admits).ToArray();
        var start = request.Position switch
        {
            StubPosition.After after => FirstAfter(filtered, after.UpdatedAt, after.Id),
            StubPosition.Offset offset => offset.Value,
            StubPosition.Number number => (number.Value - 1) * request.Size,
            _ => 0,
        };
        start = Math.Clamp(start, 0, filtered.Length);
        var end = Math.Min(filtered.Length, start + request.Size);
        var records = filtered[start..end];
        var next = end < filtered.Length && records.Length > 0 ? EncodeCursor(records[^1]) : null;
        return new StubPage(records, start, filtered.Length, next);
    }

    /// <summary>base64url of "unix-ms:id" of the last record seen: opaque to a client, the same for the same page.</summary>
    public static string EncodeCursor(StubRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{last.UpdatedAt.ToUnixTimeMilliseconds()}:{last.Id}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecodeCursor(string cursor, out StubPosition.After position)
    {
        position = null!;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split(':');
            if (parts.Length != 2 ||
                !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ||
                !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                return false;
            position = new StubPosition.After(cursor, DateTimeOffset.FromUnixTimeMilliseconds(ms), id);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    // Binary search: the first record sorting after (updatedAt, id); the record itself may have changed since.
    private static int FirstAfter(StubRecord[] sorted, DateTimeOffset updatedAt, long id)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            var r = sorted[mid];
            var cmp = r.UpdatedAt != updatedAt ? r.UpdatedAt.CompareTo(updatedAt) : r.Id.CompareTo(id);
            if (cmp <= 0)
                low = mid + 1;
            else
                high = mid;
        }
        return low;
    }
}
