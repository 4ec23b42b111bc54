using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Events;

/// <inheritdoc />
internal sealed class EventLog(IDbContextFactory<AppDbContext> dbFactory, EventSignal signal, IOptions<EventOptions> options, TimeProvider time)
    : IEventLog
{
    public async Task<EventPage> ReadAfterAsync(long afterId, int limit, Func<IQueryable<ApiEvent>, IQueryable<ApiEvent>> filter,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Ids become visible in increasing order (EventAppender): everything up to the newest id seen now is final.
        var upTo = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        if (upTo <= afterId)
        {
            return new EventPage([], afterId);
        }

        var events = await filter(db.Events.AsNoTracking().Where(e => e.Id > afterId && e.Id <= upTo))
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return new EventPage(events, events.Count == limit ? events[^1].Id : upTo);
    }

    public async Task<long> LatestIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }

    public async Task<long> OldestIdAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Events.MinAsync(e => (long?)e.Id, cancellationToken) ?? 0;
    }

    public async Task WaitAsync(long afterId, CancellationToken cancellationToken)
    {
        var woken = signal.Next;
        if (signal.Latest > afterId)
        {
            return;
        }

        // WhenAny never throws: a cancelled delay simply ends the wait.
        await Task.WhenAny(woken, Task.Delay(options.Value.PollInterval, time, cancellationToken));
    }
}
