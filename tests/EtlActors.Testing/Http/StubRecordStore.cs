namespace EtlActors.Testing.Http;

/// <summary>
/// The stub API's records: generated from a seed, then changed by a test between runs. Requests read an immutable
/// snapshot sorted by (<see cref="StubRecord.UpdatedAt"/>, <see cref="StubRecord.Id"/>), so a page is computed
/// against one consistent state even while a test mutates the store.
/// </summary>
internal sealed class StubRecordStore
{
    private static readonly string[] _firstNames = ["Anna", "Bob", "Chloé", "Dmitri", "Emeka", "Fatima", "Gustav", "Hana", "Iñigo", "Jun", "Kofi", "Lena"];
    private static readonly string[] _lastNames = ["Schmidt", "Ng", "Dubois", "Ivanov", "Okafor", "Haddad", "Berg", "Sato", "García", "Chen", "Mensah", "O'Brien"];
    // Quotes, a backslash, non-ASCII and an emoji so a test sees JSON escaping and UTF-8 survive the trip.
    private static readonly string[] _words =
    [
        "deploy", "the", "release", "is", "green", "review", "please", "\"quoted\"", "café", "naïve", "🚀", "ok", "tomorrow",
        "rollback", "C:\\temp", "a<b", "&", "budget", "call", "notes", "ship", "it",
    ];

    private readonly object _gate = new();
    private readonly Dictionary<long, StubRecord> _byId = [];
    private readonly Random _random;
    private readonly int _conversations;
    private DateTimeOffset _latest;
    private long _maxId;
    private StubRecord[]? _snapshot;

    public StubRecordStore(StubApiOptions options)
    {
        _random = new Random(options.Seed);
        _conversations = Math.Max(1, options.Conversations);
        _latest = options.Epoch;
        Generate(options.Records, options.Epoch);
    }

    /// <summary>The records sorted by (UpdatedAt, Id); the same array until the next change.</summary>
    public StubRecord[] Snapshot()
    {
        lock (_gate)
            return _snapshot ??= [.. _byId.Values.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id)];
    }

    public IReadOnlyList<StubRecord> Add(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            var added = new List<StubRecord>(count);
            for (var i = 0; i < count; i++)
            {
                var at = NextTime();
                added.Add(Put(NewRecord(++_maxId, at)));
            }
            return added;
        }
    }

    public IReadOnlyList<StubRecord> Update(IEnumerable<long> ids)
    {
        lock (_gate)
        {
            var updated = new List<StubRecord>();
            foreach (var id in ids)
            {
                if (!_byId.TryGetValue(id, out var old))
                    throw new ArgumentException($"no record {id} in the stub API", nameof(ids));
                var version = old.Version + 1;
                updated.Add(Put(old with { Text = $"{old.Text} (edit {version})", UpdatedAt = NextTime(), Version = version }));
            }
            return updated;
        }
    }

    /// <summary>Stores <paramref name="record"/> as given (the test chooses its times), replacing one with its id.</summary>
    public StubRecord Upsert(StubRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Cursors carry milliseconds: a finer time would make the record after a cursor ambiguous.
        record = record with { CreatedAt = StubTime.ToMilliseconds(record.CreatedAt), UpdatedAt = StubTime.ToMilliseconds(record.UpdatedAt) };
        lock (_gate)
        {
            _maxId = Math.Max(_maxId, record.Id);
            if (record.UpdatedAt > _latest)
                _latest = record.UpdatedAt;
            return Put(record);
        }
    }

    private StubRecord Put(StubRecord record)
    {
        _byId[record.Id] = record;
        _snapshot = null;
        return record;
    }

    // Whole seconds after the newest change, so a changed record sorts after every record a previous run saw and
    // times stay whole milliseconds (what the ISO form carries).
    private DateTimeOffset NextTime()
    {
        _latest = new DateTimeOffset(_latest.UtcTicks - _latest.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddSeconds(1);
        return _latest;
    }

    private void Generate(int count, DateTimeOffset epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // One time per second after the epoch, with a millisecond jitter, dealt to the ids in a shuffled order: the
        // sort by (UpdatedAt, Id) differs from id order, so a stub that paged by id would show in a test.
        var times = new DateTimeOffset[count];
        for (var k = 0; k < count; k++)
            times[k] = epoch.AddSeconds(k).AddMilliseconds(_random.Next(1000));
        _random.Shuffle(times);
        var lastByConversation = new Dictionary<string, StubRecord>();
        var records = new StubRecord[count];
        for (var i = 0; i < count; i++)
            records[i] = NewRecord(i + 1, times[i]);
        foreach (var record in records.OrderBy(r => r.UpdatedAt))
        {
            // About one in eight is a reply in the thread of the message before it in its conversation.
            var stored = lastByConversation.TryGetValue(record.Conversation, out var parent) && _random.Next(8) == 0
                ? record with { ThreadTs = parent.ThreadTs ?? parent.Ts }
                : record;
            Put(stored);
            lastByConversation[record.Conversation] = stored;
            if (stored.UpdatedAt > _latest)
                _latest = stored.UpdatedAt;
        }
        _maxId = count;
    }

    private StubRecord NewRecord(long id, DateTimeOffset at)
    {
        var user = _random.Next(_firstNames.Length * 2);
        var author = $"{_firstNames[user % _firstNames.Length]} {_lastNames[(user * 7 + 3) % _lastNames.Length]}";
        var words = new string[3 + _random.Next(8)];
        for (var w = 0; w < words.Length; w++)
            words[w] = _words[_random.Next(_words.Length)];
        return new StubRecord(
            Id: id,
            Conversation: $"C{1 + _random.Next(_conversations)}",
            AuthorId: $"U{user + 1:D4}",
            Author: author,
            Text: string.Join(' ', words),
            CreatedAt: at,
            UpdatedAt: at);
    }
}
