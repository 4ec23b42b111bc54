using System.Net;
using Npgsql;
using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// The web server starts while the database is still being prepared. The test holds the service's start-up lock on its
/// PostgreSQL database first (what another instance migrating the same database does), so the service's migrations wait
/// for it: meanwhile <c>/health/live</c> answers, <c>/health/ready</c> and an API call wait; once the lock is free the
/// service migrates and seeds, and both answer. PostgreSQL only: it is the provider with a start-up lock to hold; the
/// waiting itself is the same on every provider (in-process tests hold the first database command instead).
/// </summary>
public sealed class StartupTests
{
    /// <summary>The advisory lock key of the service's start-up turn (StartupLock in Infrastructure, "PxLxcMig").</summary>
    private const long StartupLockKey = 0x50784C78634D6967;

    [Test]
    public async Task Start_MigrationsHeldAtTheStartupLock_LiveAnswersAtOnceWhileReadyAndApiCallsWaitThenSucceed()
    {
        await using var hold = new StartupTurnHold();
        await using var service = await ServiceProcess.LaunchAsync(ServiceProcess.PostgreSql, beforeStart: hold.TakeAsync);
        await service.WaitUntilAsync("health/live", TimeSpan.FromSeconds(90));

        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var ready = http.GetAsync(new Uri("health/ready", UriKind.Relative));
        using var admin = service.Clients();
        var keys = admin.Create<KeysClient>().ListAsync(limit: null, cursor: null);
        // Without the wait the call would fail at once: there is no key table yet, and no bootstrap key.
        var early = await Task.WhenAny(ready, keys, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.Multiple(() =>
        {
            Assert.That(ready.IsCompleted, Is.False, "readiness waits while the database is prepared");
            Assert.That(keys.IsCompleted, Is.False, $"the API call waits while the database is prepared; it ended {early.Status}");
        });

        await hold.ReleaseAsync();
        using var readyAnswer = await ready.WaitAsync(TimeSpan.FromSeconds(60));
        var list = await keys.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Multiple(() =>
        {
            Assert.That(readyAnswer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(list.Items.Select(k => k.Id), Is.EqualTo(new[] { ServiceProcess.AdminKey.Split('_')[1] }), "served once seeded");
        });
    }

    /// <summary>A session of its own on the service's database holding the start-up lock until released or disposed.</summary>
    private sealed class StartupTurnHold : IAsyncDisposable
    {
        private NpgsqlConnection? _connection;

        public async Task TakeAsync(string connectionString)
        {
            _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await _connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({StartupLockKey})", _connection);
            await command.ExecuteNonQueryAsync();
        }

        public async Task ReleaseAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync(); // ending the session releases the lock
                _connection = null;
            }
        }

        public ValueTask DisposeAsync() => new(ReleaseAsync());
    }
}
