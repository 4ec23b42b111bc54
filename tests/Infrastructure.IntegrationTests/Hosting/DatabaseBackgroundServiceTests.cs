using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Hosting;

/// <summary>A background service that uses the database begins its work only once the database's start-up succeeded.</summary>
public class DatabaseBackgroundServiceTests
{
    [Test]
    public async Task Start_DatabaseNotReady_WorkBeginsOnlyWhenItIs()
    {
        var startup = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var service = new Recording(Startup(startup.Task));

        await service.StartAsync(CancellationToken.None);
        Assert.That(service.Runs, Is.Zero, "nothing runs before the database is ready");

        startup.SetResult(true);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(service.Runs, Is.EqualTo(1));
    }

    [Test]
    public async Task Stop_WhileTheDatabaseIsNotReady_EndsQuietlyWithoutTheWork()
    {
        using var service = new Recording(Startup(new TaskCompletionSource<bool>().Task));
        await service.StartAsync(CancellationToken.None);

        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            // Completed or cancelled (BackgroundService cancels a run that had not begun yet), never faulted.
            Assert.That(service.ExecuteTask!.IsCompleted, Is.True);
            Assert.That(service.ExecuteTask.IsFaulted, Is.False, "no exception for the host to log or stop for");
            Assert.That(service.Runs, Is.Zero);
        });
    }

    private static IDatabaseStartup Startup(Task<bool> done)
    {
        var startup = new Mock<IDatabaseStartup>(MockBehavior.Strict);
        startup.Setup(s => s.WaitAsync(It.IsAny<CancellationToken>())).Returns((CancellationToken ct) => done.WaitAsync(ct));
        return startup.Object;
    }

    private sealed class Recording(IDatabaseStartup database) : DatabaseBackgroundService(database)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        protected override Task RunAsync(CancellationToken stoppingToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.CompletedTask;
        }
    }
}
