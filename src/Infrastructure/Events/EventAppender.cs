using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>
/// Adds events to the caller's open transaction so that event ids become visible in increasing order: a reader that
/// has seen id n never later finds a committed event below n. SQLite has one writer at a time anyway; on SQL Server and
/// PostgreSQL a transaction-scoped lock serializes event writers from the id's allocation to the commit (two short
/// event writes per mutating operation).
/// <para>
/// One <c>container.state</c> event per change: under that same lock, a <c>container.state</c> event whose status is the
/// last recorded status of its container is dropped — a change seen by the inventory view of several instances, or seen
/// by the inventory after (or before) this API's own operation recorded it, is recorded once. An operation's event is
/// dropped only when the repeat came from the inventory after the operation started (the inventory saw the operation's
/// own change first); otherwise it is a new change (e.g. stopped outside the API unseen, then started by it).
/// </para>
/// </summary>
internal static class EventAppender
{
    /// <summary>Any fixed key for <c>pg_advisory_xact_lock</c>; only event writers take it.</summary>
    private const long PostgresLockKey = 0x50784C78_4576_6E74;

    /// <summary>Adds <paramref name="events"/> (less repeated container states) to the open transaction; returns those added.</summary>
    public static async Task<IReadOnlyList<ApiEvent>> AppendAsync(AppDbContext db, IReadOnlyList<ApiEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return events;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Events are appended inside the transaction of the change that causes them.");
        }

        // By provider name (EF's IsSqlServer()/IsNpgsql() would load both providers' assemblies).
        if (db.Database.ProviderName == DbContextOptionsFactory.SqlServerProviderName)
        {
            await db.Database.ExecuteSqlRawAsync(
                "EXEC sp_getapplock @Resource = N'ProxmoxLxc.Events', @LockMode = N'Exclusive', @LockOwner = N'Transaction';", cancellationToken);
        }
        else if (db.Database.ProviderName == DbContextOptionsFactory.NpgsqlProviderName)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresLockKey});", cancellationToken);
        }

        var kept = new List<ApiEvent>(events.Count);
        foreach (var e in events)
        {
            if (!await RepeatsLastStateAsync(db, e, cancellationToken))
            {
                kept.Add(e);
            }
        }

        db.Events.AddRange(kept);
        return kept;
    }

    private static async Task<bool> RepeatsLastStateAsync(AppDbContext db, ApiEvent candidate, CancellationToken cancellationToken)
    {
        if (candidate.Type != EventTypes.ContainerState || candidate.VmId is not { } vmId)
        {
            return false;
        }

        var last = await db.Events.AsNoTracking()
            .Where(e => e.Type == EventTypes.ContainerState && e.VmId == vmId)
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.Id, e.OperationId, e.Data })
            .FirstOrDefaultAsync(cancellationToken);
        if (last is null || ContainerStateEvents.StatusOf(last.Data) != ContainerStateEvents.StatusOf(candidate.Data))
        {
            return false;
        }

        if (candidate.OperationId is not { } operationId)
        {
            return true;
        }

        var lastId = last.Id;
        return last.OperationId is null && await db.Events.AsNoTracking()
            .AnyAsync(e => e.OperationId == operationId && e.Type == EventTypes.OperationStarted && e.Id < lastId, cancellationToken);
    }
}
