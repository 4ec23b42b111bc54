using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.Events;

/// <summary>
/// Adds events to the caller's open transaction so that event ids become visible in increasing order: a reader that
/// has seen id n never later finds a committed event below n. SQLite has one writer at a time anyway; on SQL Server and
/// PostgreSQL a transaction-scoped lock serializes event writers from the id's allocation to the commit (two short
/// event writes per mutating operation).
/// </summary>
internal static class EventAppender
{
    /// <summary>Any fixed key for <c>pg_advisory_xact_lock</c>; only event writers take it.</summary>
    private const long PostgresLockKey = 0x50784C78_4576_6E74;

    public static async Task AppendAsync(AppDbContext db, IReadOnlyList<ApiEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Events are appended inside the transaction of the change that causes them.");
        }

        if (db.Database.IsSqlServer())
        {
            await db.Database.ExecuteSqlRawAsync(
                "EXEC sp_getapplock @Resource = N'ProxmoxLxc.Events', @LockMode = N'Exclusive', @LockOwner = N'Transaction';", cancellationToken);
        }
        else if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresLockKey});", cancellationToken);
        }

        db.Events.AddRange(events);
    }
}
