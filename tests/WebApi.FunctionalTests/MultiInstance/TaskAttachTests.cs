using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.MultiInstance;

/// <summary>
/// Two instances' reconcilers never attach one Proxmox task (UPID) to two lost Operations: the attach is one write
/// against a unique index on the task column, so when both found the same task for two lost rows of one container, the
/// second attach fails and its row is settled as <c>outcome_unknown</c>.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class TaskAttachTests(DatabaseProvider provider)
{
    [Test]
    public async Task Reconcilers_TwoInstancesFindOneTaskForTwoLostRows_OneRowFollowsItAndTheOtherIsOutcomeUnknown()
    {
        var hold = new TransactionHold();
        await using var cluster = await SharedDatabaseInstances.StartAsync(provider, 2, [],
            new Dictionary<string, string?> { ["Proxmox:DispatchTimeoutSeconds"] = "1" },
            (i, instance) =>
            {
                if (i == 1)
                {
                    instance.WithTestServices(services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(hold)));
                }
            });
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);

        // A start whose answer is lost: Proxmox ran the task, the row stays running without it.
        cluster.Emulator.Faults.DropReplies("/status/start$", "POST", count: 1);
        using var client = a.CreateAdminClient();
        using (await client.PostAsync("/api/v1/containers/101/start"))
        {
        }

        var lost = (await a.WaitForOperationLogAsync(all => all.Any(o => o.Action == "StartContainer"))).Single(o => o.Action == "StartContainer");
        Assert.That(lost.TaskId, Is.Null);
        long twinId;
        await using (var db = cluster.Database.NewContext())
        {
            // A second lost start of the same container from the same moment: Proxmox's task list matches both.
            var twin = OperationLog.Begin(lost.RequestId + "-twin", lost.Method, lost.Path, lost.ClientAddress, lost.RequestedAt);
            twin.SetCaller(lost.KeyId, lost.KeyName);
            twin.Describe(lost.Action, isMutating: true, lost.Parameters, lost.VmId, lost.Node);
            twin.MarkStarted(lost.StartedAt ?? lost.RequestedAt);
            db.OperationLogs.Add(twin);
            await db.SaveChangesAsync();
            twinId = twin.Id;
        }

        // Both rows are old enough and unleased for both instances. B reconciles the first row; once it has found the
        // task unclaimed and is about to write the attach, A's reconciler runs and attaches the same task to the twin.
        var later = SharedDatabaseInstances.LeaseDuration + TimeSpan.FromMinutes(1);
        a.Time.Advance(later);
        b.Time.Advance(later);
        // A transaction B's background services begin meanwhile (here one begun outside the scan's flow) is not the hold.
        await hold.RunAsync(async () =>
        {
            await BackgroundTransactionAsync(b);
            await SharedDatabaseInstances.ScanAsync(b);
        }, meanwhile: () => SharedDatabaseInstances.ScanAsync(a));

        var rows = new[] { await a.OperationRowAsync(lost.Id), await a.OperationRowAsync(twinId) };
        var following = rows.Where(r => r.TaskId is not null).ToList();
        var other = rows.Where(r => r.TaskId is null).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(hold.Fired, Is.True, "B was stopped before its attach");
            Assert.That(following, Has.Count.EqualTo(1), "one Operation follows the task");
            Assert.That(other, Has.Count.EqualTo(1));
            Assert.That(other.Select(r => (r.Outcome, r.ErrorCode)), Is.EqualTo(new[] { (OperationOutcome.Failed, (string?)"outcome_unknown") }));
            Assert.That(b.Logs.AllText, Does.Contain("is already followed by another operation; not attached"));
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/start"), Is.EqualTo(1), "nothing was sent again");
        });
    }

    /// <summary>Begins and rolls back a transaction on the instance outside the caller's flow, as a background service does.</summary>
    private static async Task BackgroundTransactionAsync(ApiFactory instance)
    {
        Task background;
        using (ExecutionContext.SuppressFlow())
        {
            background = Task.Run(async () =>
            {
                await using var db = await instance.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
            });
        }

        await background;
    }

    /// <summary>
    /// Runs a test's action once, when the instance's work started by <see cref="RunAsync"/> next begins a transaction
    /// (before it does). Transactions of the instance's background services (they run on their own timers) do not count:
    /// one of them taking the hold ran the other instance's scan beside this one, unawaited, and the test read the rows
    /// before that scan had settled its row (one full run saw the row still running).
    /// </summary>
    private sealed class TransactionHold : DbTransactionInterceptor
    {
        private static readonly AsyncLocal<bool> InWork = new();
        private Func<Task>? _armed;

        public bool Fired { get; private set; }

        /// <summary>Runs <paramref name="work"/>; at its first transaction, <paramref name="meanwhile"/> runs to its end first.</summary>
        public async Task RunAsync(Func<Task> work, Func<Task> meanwhile)
        {
            _armed = meanwhile;
            InWork.Value = true;
            try
            {
                await work();
            }
            finally
            {
                InWork.Value = false;
            }
        }

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
            TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (InWork.Value && Interlocked.Exchange(ref _armed, null) is { } meanwhile)
            {
                Fired = true;
                await meanwhile();
            }

            return result;
        }
    }
}
