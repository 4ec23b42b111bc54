namespace ProxmoxEmulator;

/// <summary>How a request authenticated.</summary>
public enum AuthKind
{
    /// <summary>No (valid) credentials.</summary>
    None,

    /// <summary><c>Authorization: PVEAPIToken=...</c>.</summary>
    Token,

    /// <summary>Ticket cookie or <c>Authorization: PVEAuthCookie=...</c>.</summary>
    Ticket,
}

/// <summary>One request to <c>/api2/json</c>.</summary>
/// <param name="Timestamp">When it arrived.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path below <c>/api2/json</c>, e.g. <c>/nodes/pve1/lxc</c>.</param>
/// <param name="Route">Matched route template (<c>GET /nodes/{node}/lxc</c>), null if none.</param>
/// <param name="Parameters">Query + body parameters (values of <c>password</c> are masked).</param>
/// <param name="Auth">Authentication kind.</param>
/// <param name="User">User or token id.</param>
/// <param name="Status">Response status (0 when the connection was aborted).</param>
/// <param name="SchemaValid">Schema validation outcome; null when validation did not run (auth failure, 501, fault).</param>
/// <param name="SchemaErrors">Validation errors when invalid.</param>
/// <param name="Fault">Injected fault that applied (<c>drop</c>, <c>error</c>, <c>latency</c>), if any. Requests refused while
/// <see cref="EmulatorFaults.Down"/> is set are not journaled (they never reached the emulator).</param>
public sealed record JournalEntry(
    DateTimeOffset Timestamp,
    string Method,
    string Path,
    string? Route,
    IReadOnlyDictionary<string, string> Parameters,
    AuthKind Auth,
    string? User,
    int Status,
    bool? SchemaValid,
    IReadOnlyDictionary<string, string>? SchemaErrors,
    string? Fault);

/// <summary>
/// Thread-safe journal of API requests: a bounded ring of the latest <see cref="Capacity"/> entries (oldest dropped
/// first, so a long-running emulator does not grow) plus counters since the last <see cref="Reset"/> that keep counting
/// past the ring. <see cref="Entries"/>, <see cref="Count"/>, <see cref="CountsByPath"/> and <see cref="SchemaViolations"/>
/// look at the retained entries; <see cref="TotalCount"/> and <see cref="CountsByRoute"/> are the counters.
/// </summary>
public sealed class RequestJournal
{
    /// <summary>Entries kept when no capacity is configured.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _sync = new();
    private readonly Queue<JournalEntry> _entries;
    private readonly Dictionary<string, int> _countsByRoute = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Creates a journal keeping the latest <paramref name="capacity"/> entries.</summary>
    public RequestJournal(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Queue<JournalEntry>(Math.Min(capacity, 1024));
    }

    /// <summary>Entries retained (the ring size).</summary>
    public int Capacity { get; }

    /// <summary>Retained entries in arrival order (snapshot).</summary>
    public IReadOnlyList<JournalEntry> Entries { get { lock (_sync) return [.. _entries]; } }

    /// <summary>Number of API requests recorded since the last reset (not limited by the ring).</summary>
    public int TotalCount { get { lock (_sync) return _total; } }

    /// <summary>Counts per route template since the last reset, key <c>"POST /nodes/{node}/lxc"</c> (unmatched: <c>"GET /actual/path"</c>).</summary>
    public IReadOnlyDictionary<string, int> CountsByRoute
    {
        get
        {
            lock (_sync)
                return new Dictionary<string, int>(_countsByRoute, StringComparer.Ordinal);
        }
    }

    /// <summary>Counts per concrete path among the retained entries, key <c>"POST /nodes/pve1/lxc"</c>.</summary>
    public IReadOnlyDictionary<string, int> CountsByPath
    {
        get
        {
            lock (_sync)
                return _entries.GroupBy(e => e.Method + " " + e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>Retained requests whose method matches and whose concrete path or route template equals <paramref name="pathOrTemplate"/>.</summary>
    public int Count(string method, string pathOrTemplate)
    {
        lock (_sync)
        {
            return _entries.Count(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase)
                && (e.Path == pathOrTemplate || e.Route == method.ToUpperInvariant() + " " + pathOrTemplate));
        }
    }

    /// <summary>Retained entries that failed schema validation.</summary>
    public IReadOnlyList<JournalEntry> SchemaViolations { get { lock (_sync) return [.. _entries.Where(e => e.SchemaValid == false)]; } }

    /// <summary>Clears entries and counters.</summary>
    public void Reset()
    {
        lock (_sync)
        {
            _entries.Clear();
            _countsByRoute.Clear();
            _total = 0;
        }
    }

    internal void Add(JournalEntry entry)
    {
        var key = entry.Route ?? entry.Method + " " + entry.Path;
        lock (_sync)
        {
            if (_entries.Count == Capacity)
                _entries.Dequeue();
            _entries.Enqueue(entry);
            _total++;
            _countsByRoute[key] = _countsByRoute.GetValueOrDefault(key) + 1;
        }
    }
}
