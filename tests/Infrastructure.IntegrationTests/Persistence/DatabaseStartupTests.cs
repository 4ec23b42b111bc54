using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// The database's start-up work runs in the background while the rest of the service starts: until it is done the
/// database is not ready — waiters wait, background services that use the database have not begun, the readiness entry
/// is unhealthy without asking the database — and afterwards all of them go on; when it fails, nothing waiting goes on.
/// The work is held (or failed) at its first database command, on both providers.
/// </summary>
public sealed class DatabaseStartupTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Begin_FirstCommandHeld_NothingGoesOnUntilTheWorkIsDone_ThenEverythingDoes()
    {
        await using var start = new GatedStart(Provider);
        var (database, gate, host, initializer) = (start.Database, start.Gate, start.Host, start.Initializer);
        var startup = host.Services.GetRequiredService<IDatabaseStartup>();
        var health = ActivatorUtilities.CreateInstance<DatabaseHealthCheck>(host.Services);
        using var background = new RecordingBackgroundService(startup);

        var work = initializer.Begin();
        await gate.Reached.WaitAsync(Patience);
        var waiter = startup.WaitAsync(CancellationToken.None);
        await background.StartAsync(CancellationToken.None);
        var during = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Multiple(() =>
        {
            Assert.That(initializer.Begin(), Is.SameAs(work), "one run of the work, however often it is begun");
            Assert.That(startup, Is.SameAs(initializer));
            Assert.That(startup.IsReady, Is.False);
            Assert.That(waiter.IsCompleted, Is.False);
            Assert.That(background.Ran.Task.IsCompleted, Is.False, "the background work has not begun");
            Assert.That(during.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(during.Description, Does.Contain("start-up"));
            Assert.That(gate.Commands, Is.EqualTo(1), "the readiness entry did not ask the database");
        });

        gate.Release();
        await work.WaitAsync(Patience);
        var ready = await waiter.WaitAsync(Patience);
        await background.Ran.Task.WaitAsync(Patience);
        var after = await health.CheckHealthAsync(new HealthCheckContext());
        await using var db = database.NewContext();
        Assert.Multiple(async () =>
        {
            Assert.That(ready, Is.True);
            Assert.That(startup.IsReady, Is.True);
            Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(await db.Database.GetPendingMigrationsAsync(), Is.Empty);
            Assert.That(await db.ApiKeys.CountAsync(), Is.EqualTo(1), "the bootstrap key");
        });
        await background.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Begin_FirstCommandFails_WaitersGetFalse_TheHostsStartFails_BackgroundWorkNeverBegins()
    {
        await using var start = new GatedStart(Provider);
        var (gate, initializer) = (start.Gate, start.Initializer);
        using var background = new RecordingBackgroundService(initializer);
        await background.StartAsync(CancellationToken.None);

        var work = initializer.Begin();
        await gate.Reached.WaitAsync(Patience);
        gate.Fail(new InvalidOperationException("the database refused the first command"));

        Assert.That(async () => await initializer.StartedAsync(CancellationToken.None),
            Throws.InvalidOperationException.With.Message.EqualTo("the database refused the first command"), "the host's start fails");
        var ready = await initializer.WaitAsync(CancellationToken.None).WaitAsync(Patience);
        await background.ExecuteTask!.WaitAsync(Patience);
        Assert.Multiple(() =>
        {
            Assert.That(work.IsFaulted, Is.True);
            Assert.That(ready, Is.False);
            Assert.That(initializer.IsReady, Is.False);
            Assert.That(background.ExecuteTask.IsCompletedSuccessfully, Is.True, "ended without an exception a host would stop for");
            Assert.That(background.Ran.Task.IsCompleted, Is.False, "the background work never began");
        });
    }

    [Test]
    public async Task StoppingAsync_WhileTheWorkIsHeld_CancelsItAndWaitersGetFalse()
    {
        await using var start = new GatedStart(Provider);
        var (gate, initializer) = (start.Gate, start.Initializer);

        await initializer.StartingAsync(CancellationToken.None); // the host begins the work if the entry point has not
        await gate.Reached.WaitAsync(Patience);
        var waiter = initializer.WaitAsync(CancellationToken.None);
        await initializer.StoppingAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.Multiple(async () =>
        {
            Assert.That(await waiter.WaitAsync(Patience), Is.False);
            Assert.That(initializer.IsReady, Is.False);
            Assert.That(initializer.Begin().IsCanceled || initializer.Begin().IsFaulted, Is.True, "the work ended, cancelled");
        });
    }

    /// <summary>A fresh database and a host on it whose start-up work is held at its first database command.</summary>
    private sealed class GatedStart : IAsyncDisposable
    {
        public GatedStart(DatabaseProvider provider)
        {
            Database = TestDatabase.Create(provider);
            Host = InfrastructureHost.On(Database, Gate.AddTo);
            Initializer = Host.HostedService<DatabaseInitializer>();
        }

        public TestDatabase Database { get; }

        public FirstCommandGate Gate { get; } = new();

        public InfrastructureHost Host { get; }

        public DatabaseInitializer Initializer { get; }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Database.Dispose();
        }
    }

    /// <summary>Holds the first database command of the work until released or failed (honouring its cancellation).</summary>
    private sealed class FirstCommandGate : FirstCommandHold
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _release.TrySetResult();

        public void Fail(Exception ex) => _release.TrySetException(ex);

        protected override async Task HoldAsync(CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>A background service that uses the database: records whether its work began.</summary>
    private sealed class RecordingBackgroundService(IDatabaseStartup database) : DatabaseBackgroundService(database)
    {
        public TaskCompletionSource Ran { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task RunAsync(CancellationToken stoppingToken)
        {
            Ran.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
