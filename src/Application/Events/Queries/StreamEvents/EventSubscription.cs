using System.Runtime.CompilerServices;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;
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
/// looks at the caller's key in the key cache (<see cref="IApiKeyCache"/>: no database query while the key is unchanged;
/// a change through this instance evicts it at once, one through another instance within about a second):
/// revoked, disabled, expired, rotated or without the scope any more ends the stream, and a changed restriction
/// applies from then on. Pool membership comes from the inventory view as it is (<see cref="IClusterInventory.Latest"/>:
/// an open stream never makes the API ask Proxmox); the rule is resolved again only when the key or the view changed.
/// An idle stream sends a heartbeat comment every <see cref="EventOptions.HeartbeatSeconds"/>.
/// </summary>
public sealed class EventSubscription
{
    private const int PageSize = 100;

    private readonly IEventLog _log;
    private readonly IApiKeyCache _keys;
    private readonly IClusterInventory _inventory;
    private readonly OperationVisibility _visibility;
    private readonly EventOptions _options;
    private readonly TimeProvider _time;
    private readonly CallerIdentity _caller;
    private readonly DateTimeOffset? _rotatedAt;
    private readonly IReadOnlyList<string> _types;
    private readonly int? _vmId;
    private readonly long _startAfter;
    private readonly IReadOnlyList<string> _notices;

    internal EventSubscription(IEventLog log, IApiKeyCache keys, IClusterInventory inventory, OperationVisibility visibility, EventOptions options,
        TimeProvider time, CallerIdentity caller, DateTimeOffset? rotatedAt, StreamEventsQuery query, long startAfter, IReadOnlyList<string> notices)
    {
        _log = log;
        _keys = keys;
        _inventory = inventory;
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
        ApiKey? ruleKey = null;
        var ruleView = _inventory.Latest;
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
                var key = await _keys.FindAsync(_caller.KeyId, cancellationToken);
                var current = key is null ? null : IdentityOf(key, now);
                if (current is null)
                {
                    yield return new StreamComment("the API key is no longer valid (revoked, disabled, expired, rotated or without the scope); the stream ends");
                    yield break;
                }

                var view = _inventory.Latest;
                if (!ReferenceEquals(key, ruleKey) || (OperationVisibility.NeedsInventory(current) && !ReferenceEquals(view, ruleView)))
                {
                    rule = view is null && OperationVisibility.NeedsInventory(current)
                        ? await _visibility.ForAsync(current, cancellationToken)
                        : OperationVisibility.For(current, view);
                    (ruleKey, ruleView) = (key, _inventory.Latest);
                }
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

    /// <summary>The caller's identity as <paramref name="key"/> now gives it, or null when the key may no longer read events.</summary>
    private CallerIdentity? IdentityOf(ApiKey key, DateTimeOffset now)
    {
        if (!key.IsActive(now) || key.RotatedAt != _rotatedAt)
        {
            return null;
        }

        var identity = CallerIdentity.Of(key);
        return identity.Has(Scopes.OperationsRead) ? identity : null;
    }
}
