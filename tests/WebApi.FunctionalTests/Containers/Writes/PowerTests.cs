using System.Net;
using System.Text.Json.Nodes;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class PowerTests(DatabaseProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task PowerCycle_StoppedContainer_EachActionChangesEmulatorState()
    {
        using var client = Factory.CreateAdminClient();
        var state = Factory.Emulator.State;
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        Assert.That(state.FindContainer(102)!.Running, Is.True);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/suspend");
        Assert.That(state.FindContainer(102)!.Suspended, Is.True);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/resume");
        Assert.That(state.FindContainer(102)!.Suspended, Is.False);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/reboot", new JsonObject { ["timeoutSeconds"] = 30 });
        Assert.That(state.FindContainer(102)!.Running, Is.True);
        var shutdown = await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/shutdown", new JsonObject { ["timeoutSeconds"] = 10, ["forceStop"] = true });
        Assert.That(state.FindContainer(102)!.Running, Is.False);
        Assert.That(shutdown.GetProperty("action").GetString(), Is.EqualTo("ShutdownContainer"));
        var upid = shutdown.GetProperty("taskId").GetString()!;
        Assert.That(state.FindTask(upid)!.Type, Is.EqualTo("vzshutdown"));
        var call = Factory.Emulator.Journal.Entries.Last(e => e.Path.EndsWith("/status/shutdown", StringComparison.Ordinal));
        Assert.That(call.Parameters.Keys, Does.Contain("forceStop").And.Contain("timeout"));
    }

    [TestCase("start", 100, "already running")]
    [TestCase("stop", 101, "stopped")]
    [TestCase("shutdown", 101, "stopped")]
    [TestCase("reboot", 101, "stopped")]
    [TestCase("suspend", 101, "stopped")]
    [TestCase("resume", 101, "stopped")]
    public async Task Power_ImpossibleTransition_Returns409StateConflictWithoutProxmoxTask(string action, int vmid, string detail)
    {
        using var client = Factory.CreateAdminClient();
        var before = Factory.Emulator.Journal.Count("POST", $"/nodes/{{node}}/lxc/{{vmid}}/status/{action}");
        using var response = await client.PostAsync($"/api/v1/containers/{vmid}/{action}");
        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "container_state_conflict");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain(detail));
        Assert.That(Factory.Emulator.Journal.Count("POST", $"/nodes/{{node}}/lxc/{{vmid}}/status/{action}"), Is.EqualTo(before));
    }

    [Test]
    public async Task Start_LockedContainer_Returns409Locked()
    {
        using var client = Factory.CreateAdminClient();
        Factory.Emulator.State.SetLock(101, "backup");
        try
        {
            using var response = await client.PostAsync("/api/v1/containers/101/start");
            await response.ProblemAsync(HttpStatusCode.Conflict, "container_locked");
        }
        finally
        {
            Factory.Emulator.State.SetLock(101, null);
        }
    }

    [Test]
    public async Task Start_UnknownContainer_Returns404()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/4242/start");
        await response.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
    }

    [Test]
    public async Task Start_KeyWithoutPowerScope_Returns403InsufficientScope()
    {
        var key = (await Factory.CreateKeyAsync(["containers:read"], "reader")).Key;
        using var client = Factory.CreateClient(key);
        using var response = await client.PostAsync("/api/v1/containers/101/start");
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("containers:power"));
    }

    [Test]
    public async Task Power_KeyRestrictedToPool_OtherContainersAre404AndOwnPoolWorks()
    {
        var key = (await Factory.CreateKeyAsync(["containers:power", "containers:write", "containers:read"], "web-ops", new { allowedPools = new[] { "web" } })).Key;
        using var client = Factory.CreateClient(key);
        var journal = Factory.Emulator.Journal;
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/api/v1/containers/101/start"),
            (HttpMethod.Post, "/api/v1/containers/102/start"),
            (HttpMethod.Delete, "/api/v1/containers/101"),
            (HttpMethod.Post, "/api/v1/containers/101/snapshots"),
        })
        {
            var writes = journal.Entries.Count(e => e.Method != "GET");
            using var response = await client.SendJsonAsync(method, path, path.EndsWith("snapshots", StringComparison.Ordinal) ? new JsonObject { ["name"] = "snap1" } : null);
            await response.ProblemAsync(HttpStatusCode.NotFound, "container_not_found");
            Assert.That(journal.Entries.Count(e => e.Method != "GET"), Is.EqualTo(writes), path);
        }

        using var own = await client.PostAsync("/api/v1/containers/100/reboot");
        var operation = await own.AcceptedAsync();
        var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        var row = await Factory.OperationRowAsync(operation.GetProperty("id").GetInt64());
        Assert.That(row.KeyName, Is.EqualTo("web-ops"));

        await using var db = Factory.NewDbContext();
        var rejected = db.OperationLogs.Where(o => o.KeyName == "web-ops" && o.Outcome == OperationOutcome.Rejected).Select(o => o.ErrorCode).ToList();
        Assert.That(rejected, Has.Count.EqualTo(4).And.All.EqualTo("container_not_found"));
    }
}
