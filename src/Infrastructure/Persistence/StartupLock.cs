using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ProxmoxLxc.Infrastructure.Persistence;

/// <summary>
/// Instances starting at the same time on one PostgreSQL database take turns at their start-up work (migrations and the
/// bootstrap key): a session-level advisory lock on a connection of its own, held until disposed. EF Core's own
/// migration lock on PostgreSQL is bound to each migration's transaction, so two instances migrating an empty database
/// together could both apply a later migration; with this lock the second finds everything applied and the key seeded.
/// SQLite serves one instance and SQL Server's migration lock is held for the whole run: no lock of ours there.
/// </summary>
internal static class StartupLock
{
    /// <summary>The advisory lock's key (any constant shared by every instance of this service: "PxLxcMig").</summary>
    private const long Key = 0x50784C78634D6967;

    public static async Task<IAsyncDisposable> AcquireAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ProviderName == DbContextOptionsFactory.NpgsqlProviderName
            ? await AcquireAdvisoryLockAsync(db.Database.GetConnectionString(), cancellationToken)
            : NoLock.Instance;
    }

    /// <summary>Apart, so that Npgsql is loaded only when PostgreSQL is the provider.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<IAsyncDisposable> AcquireAdvisoryLockAsync(string? connectionString, CancellationToken cancellationToken)
    {
        // Not pooled: closing the connection ends the session, which releases the lock whatever happened.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            command.CommandTimeout = 0; // waits as long as the other instance's start-up takes
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
