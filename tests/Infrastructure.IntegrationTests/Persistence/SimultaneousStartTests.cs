using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// Two instances started at the same moment on one empty PostgreSQL database (a first deployment of several replicas):
/// EF Core's migration lock lets one migrate while the other waits, the other then finds nothing left to apply, and the
/// configured bootstrap key is seeded once. PostgreSQL only: SQLite serves a single instance.
/// </summary>
public sealed class SimultaneousStartTests
{
    [Test]
    public async Task Initialize_TwoInstancesOnOneEmptyPostgreSqlDatabaseAtOnce_BothBecomeReadyWithTheSchemaAndOneKey()
    {
        using var database = TestDatabase.Create(DatabaseProvider.PostgreSql);
        // Each instance's first database command waits until the other one has reached its own: the two start together.
        var together = new FirstCommandsTogether(2);
        await using var first = InfrastructureHost.On(database, together.AddTo);
        await using var second = InfrastructureHost.On(database, together.AddTo);

        await Task.WhenAll(Task.Run(first.InitializeAsync), Task.Run(second.InitializeAsync));

        await using var db = database.NewContext();
        var pending = await db.Database.GetPendingMigrationsAsync();
        var applied = await db.Database.GetAppliedMigrationsAsync();
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(together.Met, Is.True, "both instances were inside their start-up at the same time");
            Assert.That(pending, Is.Empty);
            Assert.That(applied, Is.EqualTo(db.Database.GetMigrations()), "every migration applied, once");
            Assert.That(keys.Select(k => k.Id), Is.EqualTo(new[] { InfrastructureHost.AdminKey[4..16] }), "the configured key, seeded once");
        });
    }

    /// <summary>Holds the first command of each of <c>parties</c> instances until all of them have reached theirs.</summary>
    private sealed class FirstCommandsTogether(int parties)
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _missing = parties;

        public bool Met { get; private set; }

        public void AddTo(IServiceCollection services)
        {
            var first = new FirstCommand(this);
            services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(first));
        }

        private async Task ArriveAsync()
        {
            if (Interlocked.Decrement(ref _missing) == 0)
            {
                _allArrived.TrySetResult();
            }

            try
            {
                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
                Met = true;
            }
            catch (TimeoutException)
            {
                Met = false; // the other never arrived: go on (the assertion on Met reports it)
            }
        }

        /// <summary>One instance's interceptor: its first command (of any kind) meets the others'.</summary>
        private sealed class FirstCommand(FirstCommandsTogether together) : DbCommandInterceptor
        {
            private int _seen;

            public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
                InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            {
                await MeetAsync();
                return result;
            }

            public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
                InterceptionResult<int> result, CancellationToken cancellationToken = default)
            {
                await MeetAsync();
                return result;
            }

            public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
                InterceptionResult<object> result, CancellationToken cancellationToken = default)
            {
                await MeetAsync();
                return result;
            }

            private Task MeetAsync() => Interlocked.Exchange(ref _seen, 1) == 0 ? together.ArriveAsync() : Task.CompletedTask;
        }
    }
}
