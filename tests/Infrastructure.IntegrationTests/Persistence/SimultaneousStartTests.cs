using Microsoft.EntityFrameworkCore;
using Npgsql;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Two instances started at the same moment on one empty PostgreSQL database (a first deployment of several replicas):
/// one migrates and seeds while the other waits for its turn, then finds nothing left to apply; both become ready and
/// the configured bootstrap key is seeded once. PostgreSQL only: SQLite serves a single instance.
/// </summary>
public sealed class SimultaneousStartTests
{
    [Test]
    public async Task Initialize_TwoInstancesOnOneEmptyPostgreSqlDatabaseAtOnce_BothBecomeReadyWithTheSchemaAndOneKey()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql);
        // Whichever instance gets to migrate first stops at its first command until the other waits for its turn, so
        // the two start-ups overlap for certain.
        var overlap = new HoldUntilOtherWaits(database);
        await using var first = InfrastructureHost.On(database, overlap.AddTo);
        await using var second = InfrastructureHost.On(database, overlap.AddTo);

        await Task.WhenAll(Task.Run(first.InitializeAsync), Task.Run(second.InitializeAsync));

        await using var db = database.NewContext();
        var pending = await db.Database.GetPendingMigrationsAsync();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(overlap.OtherWaited, Is.True, "the second instance started while the first was migrating");
            Assert.That(pending, Is.Empty);
            Assert.That(applied, Is.EqualTo(db.Database.GetMigrations()), "every migration applied, once");
            Assert.That(keys.Select(k => k.Id), Is.EqualTo(new[] { InfrastructureHost.AdminKey[4..16] }), "the configured key, seeded once");
        });
    }

    /// <summary>
    /// Holds the first database command of the first instance to get there until another session waits for an advisory
    /// lock on the database (the other instance waiting for its turn), for at most 30 s.
    /// </summary>
    private sealed class HoldUntilOtherWaits(TestDatabase database) : FirstCommandHold
    {
        public bool OtherWaited { get; private set; }

        protected override async Task HoldAsync(CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var waiting = new NpgsqlCommand(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                connection);
            while (!OtherWaited && DateTime.UtcNow < deadline)
            {
                OtherWaited = (long)(await waiting.ExecuteScalarAsync(cancellationToken))! > 0;
                if (!OtherWaited)
                {
                    await Task.Delay(50, cancellationToken);
                }
            }
        }
    }
}
