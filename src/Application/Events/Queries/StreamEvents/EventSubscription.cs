using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Application.Events.Queries.StreamEvents;

/// <summary>What a stream sends: an event, or a comment (heartbeat, notices).</summary>
public abstract record EventStreamItem;

/// <summary>One event: its id, type and JSON data.</summary>
public sealed record StreamedEvent(long Id, string Type, string Data) : EventStreamItem;

/// <summary>A comment line (never shown to an <c>EventSource</c> as an event).</summary>
public sealed record StreamComment(string Text) : EventStreamItem;

/// <summary>
/// An open event stream: replays the events after its start position, then follows the log live (woken at once by this
/// instance's writes, by the poll for other instances'). Every <see cref="EventOptions.KeyCheckMilliseconds"/> it
/// re-reads the caller's key: revoked, disabled, expired, rotated or without the scope any more ends the stream, and a
/// changed restriction or pool membership applies from then on. An idle stream sends a heartbeat comment every
/// <see cref="EventOptions.HeartbeatSeconds"/>.
/// </summary>
public sealed class EventSubscription
{
    private const int PageSize = 100;

    private readonly IEventLog _log;
    private readonly IApplicationDbContext _db;
    private readonly OperationVisibility _visibility;
    private readonly EventOptions _options;
    private readonly TimeProvider _time;
    private readonly CallerIdentity _caller;
    private readonly DateTimeOffset? _rotatedAt;
    private readonly IReadOnlyList<string> _types;
    private readonly int? _vmId;
    private readonly long _startAfter;
    private readonly IReadOnlyList<string> _notices;

    internal EventSubscription(IEventLog log, IApplicationDbContext db, OperationVisibility visibility, EventOptions options, TimeProvider time,
        CallerIdentity caller, DateTimeOffset? rotatedAt, StreamEventsQuery query, long startAfter, IReadOnlyList<string> notices)
    {
        _log = log;
        _db = db;
        _visibility = visibility;
        _options = options;
        _time = time;
        _caller = caller;
        _rotatedAt = rotatedAt;
        _types = query.TypeList();
        _vmId = query.VmId;
        _startAfter = startAfter;
        _notices = notices;
    }

    /// <summary>The items of the stream until the key stops being valid or <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<EventStreamItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var notice in _notices)
        {
            yield return new StreamComment(notice);
        }

        var heartbeat = TimeSpan.FromSeconds(Math.Max(1, _options.HeartbeatSeconds));
        var keyCheck = TimeSpan.FromMilliseconds(Math.Clamp(_options.KeyCheckMilliseconds, 10, 1000));
        var position = _startAfter;
        var rule = await _visibility.ForAsync(_caller, cancellationToken);
        var lastSent = _time.GetUtcNow();
        var lastKeyCheck = lastSent;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await _log.ReadAfterAsync(position, PageSize, rows => Filter(rule.Apply(rows)), cancellationToken);
            foreach (var e in page.Events)
            {
                yield return new StreamedEvent(e.Id, e.Type, e.Data);
            }

            position = page.Position;
            var now = _time.GetUtcNow();
            if (page.Events.Count > 0)
            {
                lastSent = now;
            }

            if (now - lastKeyCheck >= keyCheck)
            {
                lastKeyCheck = now;
                var current = await CurrentIdentityAsync(now, cancellationToken);
                if (current is null)
                {
                    yield return new StreamComment("the API key is no longer valid (revoked, disabled, expired, rotated or without the scope); the stream ends");
                    yield break;
                }

                rule = await _visibility.ForAsync(current, cancellationToken);
            }

            if (now - lastSent >= heartbeat)
            {
                lastSent = now;
                yield return new StreamComment("heartbeat");
            }

            if (page.Events.Count < PageSize)
            {
                await _log.WaitAsync(position, cancellationToken);
            }
        }
    }

    private IQueryable<ApiEvent> Filter(IQueryable<ApiEvent> rows)
    {
        if (_types.Count > 0)
        {
            var types = _types.ToList();
            rows = rows.Where(e => types.Contains(e.Type));
        }

        if (_vmId is { } vmId)
        {
            rows = rows.Where(e => e.VmId == vmId);
        }

        return rows;
    }

    /// <summary>The caller's identity as its key now gives it, or null when the key may no longer read events.</summary>
    private async Task<CallerIdentity?> CurrentIdentityAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keyId = _caller.KeyId;
        var key = await _db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null || !key.IsActive(now) || key.RotatedAt != _rotatedAt)
        {
            return null;
        }

        var identity = CallerIdentity.Of(key);
        return identity.Has(Scopes.OperationsRead) ? identity : null;
    }
}
