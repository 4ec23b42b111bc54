using Microsoft.EntityFrameworkCore;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// Can the database take a write right now, without writing anything? SQLite: takes and releases the write lock
/// (<c>BEGIN IMMEDIATE</c>; a file locked by another writer waits the busy timeout, then fails); a server database:
/// connects. Provider exceptions propagate (see <see cref="DatabaseFailures"/>).
/// </summary>
internal static class DatabaseProbe
{
    public static async Task<bool> CanWriteAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return await db.Database.CanConnectAsync(cancellationToken);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync("BEGIN IMMEDIATE", cancellationToken);
            await db.Database.ExecuteSqlRawAsync("ROLLBACK", CancellationToken.None);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
