using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.MultiInstance;

/// <summary>
/// Two instances on one database: every Operation is followed (and completed) by exactly one live instance, the
/// holder of its row's lease. Scans, renewals and clocks are driven by the tests; Proxmox tasks end when a test
/// releases them.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class LeaseTests(DatabaseProvider provider)
{
    [Test]
    public async Task FollowerScan_OperationLeasedByLiveInstance_OtherInstanceLeavesItAndOwnerCompletesOnce()
    {
        await using var cluster = await SharedDatabaseInstances.StartAsync(provider, 2, ["vzcreate"]);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var client = a.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("lease-held"));
        var id = (await response.AcceptedAsync()).GetProperty("id").GetInt64();

        var lease = await cluster.LeaseOfAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(lease.Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(a)), "the instance whose call wrote the row holds it");
            Assert.That(lease.Until, Is.GreaterThan(DateTimeOffset.UtcNow));
        });

        await SharedDatabaseInstances.ScanAsync(b);
        Assert.Multiple(async () =>
        {
            Assert.That((await cluster.LeaseOfAsync(id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(a)));
            Assert.That(b.Logs.AllText, Does.Not.Contain("Resuming"));
        });

        cluster.Gate.Release();
        var done = await client.WaitForOperationAsync(id, TimeSpan.FromSeconds(30));
        await SharedDatabaseInstances.ScanAsync(b);
        var row = await a.OperationRowAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That((await cluster.LeaseOfAsync(id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(a)), "completed by its holder");
            Assert.That(cluster.CompletionsLogged(id), Is.EqualTo(1));
            Assert.That(b.Logs.AllText, Does.Not.Contain("Resuming"));
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task FollowerScan_LeaseRunOut_OtherInstanceTakesOverAndCompletesOnce()
    {
        await using var cluster = await SharedDatabaseInstances.StartAsync(provider, 2, ["vzcreate"]);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var client = a.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("lease-taken"));
        var id = (await response.AcceptedAsync()).GetProperty("id").GetInt64();
        await SharedDatabaseInstances.WaitUntilFollowingAsync(a, id);

        // From B's point of view A stopped renewing: its lease has run out.
        b.Time.Advance(SharedDatabaseInstances.LeaseDuration + TimeSpan.FromSeconds(1));
        await SharedDatabaseInstances.ScanAsync(b);
        Assert.Multiple(async () =>
        {
            Assert.That((await cluster.LeaseOfAsync(id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(b)));
            Assert.That(b.Logs.AllText, Does.Contain("Resuming 1 unfinished operations"));
        });

        // A, still alive, learns at its next renewal that the row is no longer its own, and stops following it.
        await SharedDatabaseInstances.RenewAsync(a);
        Assert.That(a.Logs.AllText, Does.Contain($"Operation {id}: instance {SharedDatabaseInstances.IdOf(a)} lost its lease"));

        // Completion is conditional on the lease: A cannot complete the row B holds, whatever it learnt about the task.
        var store = a.Services.GetRequiredService<OperationLogStore>();
        Assert.That(await store.CompleteTaskAsync(id, OperationTaskEnd.Lost(), a.Time), Is.False);
        Assert.That((await a.OperationRowAsync(id)).Outcome, Is.EqualTo(OperationOutcome.Running));

        cluster.Gate.Release();
        var done = await client.WaitForOperationAsync(id, TimeSpan.FromSeconds(30));
        var row = await a.OperationRowAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(row.ExitStatus, Is.EqualTo("OK"));
            Assert.That((await cluster.LeaseOfAsync(id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(b)), "completed by the instance that took it over");
            Assert.That(cluster.CompletionsLogged(id), Is.EqualTo(1));
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(1), "Proxmox saw the create once");
        });
    }

    [Test]
    public async Task Reconciler_CallInFlightOnOtherInstance_LeavesItsRowAlone()
    {
        // Dispatch timeout 20 s, leases of 60 s: B's clock 21 s ahead makes the row old enough to reconcile while the
        // lease of A's call is still running from B's point of view.
        await using var cluster = await SharedDatabaseInstances.StartAsync(provider, 2, [], new Dictionary<string, string?>
        {
            ["Proxmox:DispatchTimeoutSeconds"] = "20",
            ["Leases:Duration"] = "00:01:00",
        });
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        // Proxmox does the work at once, but its answer (the UPID) reaches A only after 8 s.
        cluster.Emulator.Faults.DelayReplies(TimeSpan.FromSeconds(8), "/status/start$", "POST", 1);
        using var client = a.CreateAdminClient();
        var call = client.PostAsync("/api/v1/containers/101/start");

        var rows = await a.WaitForOperationLogAsync(all => all.Any(o => o.Action == "StartContainer"));
        var id = rows.Single(o => o.Action == "StartContainer").Id;
        b.Time.Advance(TimeSpan.FromSeconds(21));
        await SharedDatabaseInstances.ScanAsync(b);
        var duringCall = await a.OperationRowAsync(id);
        Assert.Multiple(async () =>
        {
            Assert.That(call.IsCompleted, Is.False, "B scanned while A's call was between its two row writes");
            Assert.That(duringCall.TaskId, Is.Null);
            Assert.That(duringCall.Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That((await cluster.LeaseOfAsync(id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(a)));
            Assert.That(b.Logs.AllText, Does.Not.Contain("had lost its task").And.Not.Contain("outcome_unknown"));
        });

        using var answered = await call;
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var done = await client.WaitForOperationAsync(id, TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(cluster.CompletionsLogged(id), Is.EqualTo(1));
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/start"), Is.EqualTo(1));
        });
    }
}
