using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Containers.Commands.RunBatchAction;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Batches;

/// <summary>
/// <c>POST /containers/actions/{action}</c> through HTTP on both providers. Pool <c>db</c> holds 101 (seed) and 201–203
/// (created here), all stopped; the restricted key sees vmids 100–202, so 203 is invisible to it.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class BatchActionTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private static readonly int[] PoolDb = [101, 201, 202, 203];
    private string _restrictedKey = null!;

    private static Dictionary<string, string> Wait => new() { ["Prefer"] = "wait=60" };

    [OneTimeSetUp]
    public async Task CreateContainers()
    {
        using var admin = Factory.CreateAdminClient();
        foreach (var vmid in PoolDb.Where(v => v > 200))
        {
            await admin.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody($"batch{vmid}", b =>
            {
                b["vmid"] = vmid;
                b["pool"] = "db";
            }));
        }

        _restrictedKey = (await Factory.CreateKeyAsync(["containers:power", "containers:read"], "batch-restricted",
            new { vmidRange = new { min = 100, max = 202 } })).Key;
    }

    [TearDown]
    public void StopEverything()
    {
        var state = Factory.Emulator.State;
        foreach (var vmid in PoolDb.Append(102))
        {
            state.SetLock(vmid, null);
            state.Mutate(s => s.FindContainer(vmid)!.Running = false);
        }

        state.Mutate(s => s.FindContainer(100)!.Running = true);
        Factory.Emulator.Engine.Options.TaskDurations.Remove("vzstart");
    }

    [Test]
    public async Task BatchStart_PoolWithLockedAndInvisibleContainer_ItemsCarryTheirCodesAndSummaryCounts()
    {
        Factory.Emulator.State.SetLock(201, "backup");
        using var client = Factory.CreateClient(_restrictedKey);

        using var response = await client.PostAsync("/api/v1/containers/actions/start",
            new JsonObject { ["selector"] = new JsonObject { ["pool"] = "db" }, ["maxParallel"] = 2 }, Wait);

        var batch = await OkAsync(response);
        var items = Items(batch);
        Assert.Multiple(() =>
        {
            Assert.That(batch.GetProperty("action").GetString(), Is.EqualTo("BatchStart"));
            Assert.That(batch.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/operations/{batch.GetProperty("id").GetInt64()}"));
            Assert.That(items.Select(i => i.VmId), Is.EqualTo(new[] { 101, 201, 202 }), "203 is outside the key's range: not selected");
            Assert.That(items[0].Status, Is.EqualTo("succeeded"));
            Assert.That(items[1].Status, Is.EqualTo("rejected"));
            Assert.That(items[1].Code, Is.EqualTo("container_state_conflict"));
            Assert.That(items[2].Status, Is.EqualTo("succeeded"));
            Assert.That(Summary(batch), Is.EqualTo((3, 2, 1)));
            Assert.That(Factory.Emulator.State.FindContainer(101)!.Running, Is.True);
            Assert.That(Factory.Emulator.State.FindContainer(201)!.Running, Is.False);
            Assert.That(Factory.Emulator.State.FindContainer(202)!.Running, Is.True);
            Assert.That(Factory.Emulator.State.FindContainer(203)!.Running, Is.False);
        });

        // Each item is a normal operation of its own, made as the single call, linked to the batch by its request id.
        var child = await GetOperationAsync(client, items[0].OperationId!.Value);
        var locked = await GetOperationAsync(client, items[1].OperationId!.Value);
        Assert.Multiple(() =>
        {
            Assert.That(child.GetProperty("action").GetString(), Is.EqualTo("StartContainer"));
            Assert.That(child.GetProperty("vmid").GetInt32(), Is.EqualTo(101));
            Assert.That(child.GetProperty("taskId").GetString(), Does.StartWith("UPID:"));
            Assert.That(child.GetProperty("path").GetString(), Is.EqualTo("/api/v1/containers/101/start"));
            Assert.That(child.GetProperty("requestId").GetString(), Is.EqualTo($"batch-{batch.GetProperty("id").GetInt64()}-101"));
            Assert.That(child.GetProperty("keyName").GetString(), Is.EqualTo("batch-restricted"));
            Assert.That(child.GetProperty("items").ValueKind, Is.EqualTo(JsonValueKind.Null), "items only on batch operations");
            Assert.That(locked.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("container_locked"));
        });
    }

    [Test]
    public async Task BatchStart_VmIdsWithUnknownInvisibleAndRunningIds_NotFoundAndConflictItems()
    {
        using var client = Factory.CreateClient(_restrictedKey);

        using var response = await client.PostAsync("/api/v1/containers/actions/start",
            new JsonObject { ["vmids"] = new JsonArray(4242, 203, 102, 100) }, Wait);

        var batch = await OkAsync(response);
        var items = Items(batch);
        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.VmId), Is.EqualTo(new[] { 4242, 203, 102, 100 }), "in the order asked");
            Assert.That(items[0].Code, Is.EqualTo("container_not_found"));
            Assert.That(items[1].Code, Is.EqualTo("container_not_found"));
            Assert.That(items[1].Message, Is.EqualTo("Container 203 was not found."), "an invisible id reads like an unknown one");
            Assert.That(items[0].Message, Is.EqualTo("Container 4242 was not found."));
            Assert.That(items[2].Status, Is.EqualTo("succeeded"));
            Assert.That(items[3].Code, Is.EqualTo("container_state_conflict"), "100 is already running");
            Assert.That(Summary(batch), Is.EqualTo((4, 1, 3)));
            Assert.That(Factory.Emulator.State.FindContainer(203)!.Running, Is.False);
            Assert.That(Factory.Emulator.State.FindContainer(102)!.Running, Is.True);
        });
    }

    [Test]
    public async Task BatchStart_MaxParallelTwo_NeverMoreThanTwoStartTasksAtOnce()
    {
        Factory.Emulator.Engine.Options.TaskDurations["vzstart"] = TimeSpan.FromMilliseconds(300);
        using var client = Factory.CreateAdminClient();
        var before = Factory.Emulator.State.Tasks.Count;
        int[] vmids = [101, 102, 201, 202, 203];

        using var response = await client.PostAsync("/api/v1/containers/actions/start",
            new JsonObject { ["vmids"] = new JsonArray([.. vmids.Select(v => (JsonNode)v)]), ["maxParallel"] = 2 }, Wait);

        var batch = await OkAsync(response);
        var starts = Factory.Emulator.State.Tasks.Skip(before).Where(t => t.Type == "vzstart").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Summary(batch), Is.EqualTo((5, 5, 0)));
            Assert.That(starts, Has.Count.EqualTo(5));
            Assert.That(starts.Max(t => t.RunningAtStart), Is.LessThanOrEqualTo(1), "each start began with at most one other task running");
        });
    }

    [Test]
    public async Task BatchStart_WithoutPreferWait_Answers202WithPendingItemsThenSucceeds()
    {
        using var client = Factory.CreateAdminClient();

        using var response = await client.PostAsync("/api/v1/containers/actions/start", new JsonObject { ["vmids"] = new JsonArray(102) });

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), text);
        var accepted = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Multiple(() =>
        {
            Assert.That(accepted.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(accepted.GetProperty("taskId").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(Items(accepted).Single().Status, Is.EqualTo("pending"));
            Assert.That(Summary(accepted), Is.EqualTo((1, 0, 0)));
        });
        var done = await client.WaitForOperationAsync(accepted.GetProperty("id").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(Items(done).Single().Status, Is.EqualTo("succeeded"));
            Assert.That(Factory.Emulator.State.FindContainer(102)!.Running, Is.True);
        });
    }

    [Test]
    public async Task BatchStop_SameIdempotencyKeyTwice_SameBatchAndOneStopPerContainer()
    {
        Factory.Emulator.State.Mutate(s => s.FindContainer(102)!.Running = true);
        using var client = Factory.CreateAdminClient();
        var stops = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/stop");
        var body = new JsonObject { ["vmids"] = new JsonArray(102) };
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "batch-stop-1", ["Prefer"] = "wait=60" };

        using var first = await client.PostAsync("/api/v1/containers/actions/stop", body.DeepClone(), headers);
        var batch = await OkAsync(first);
        using var second = await client.PostAsync("/api/v1/containers/actions/stop", body.DeepClone(), headers);
        var replay = await OkAsync(second);
        using var other = await client.PostAsync("/api/v1/containers/actions/stop",
            new JsonObject { ["vmids"] = new JsonArray(101) }, headers);

        Assert.Multiple(() =>
        {
            Assert.That(batch.GetProperty("action").GetString(), Is.EqualTo("BatchStop"));
            Assert.That(replay.GetProperty("id").GetInt64(), Is.EqualTo(batch.GetProperty("id").GetInt64()));
            Assert.That(Summary(replay), Is.EqualTo((1, 1, 0)));
            Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/stop"), Is.EqualTo(stops + 1));
        });
        await other.ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Test]
    public async Task BatchStart_SelectorMatchingNothing_SucceedsWithNoItems()
    {
        using var client = Factory.CreateAdminClient();

        using var response = await client.PostAsync("/api/v1/containers/actions/start",
            new JsonObject { ["selector"] = new JsonObject { ["tag"] = "nosuchtag", ["node"] = "pve1" } }, Wait);

        var batch = await OkAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(Items(batch), Is.Empty);
            Assert.That(Summary(batch), Is.EqualTo((0, 0, 0)));
        });
    }

    [Test]
    public async Task BatchShutdown_TimeoutAndForceStop_PassedToEachShutdown()
    {
        Factory.Emulator.State.Mutate(s => s.FindContainer(102)!.Running = true);
        using var client = Factory.CreateAdminClient();

        using var response = await client.PostAsync("/api/v1/containers/actions/shutdown",
            new JsonObject { ["vmids"] = new JsonArray(102), ["timeoutSeconds"] = 10, ["forceStop"] = true }, Wait);

        var batch = await OkAsync(response);
        var call = Factory.Emulator.Journal.Entries.Last(e => e.Path.EndsWith("/102/status/shutdown", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(batch.GetProperty("action").GetString(), Is.EqualTo("BatchShutdown"));
            Assert.That(Summary(batch), Is.EqualTo((1, 1, 0)));
            Assert.That(call.Parameters["timeout"], Is.EqualTo("10"));
            Assert.That(call.Parameters.Keys, Does.Contain("forceStop"));
        });
    }

    public static IEnumerable<TestCaseData> InvalidBodies()
    {
        yield return new TestCaseData("start", new JsonObject(), "vmids").SetName("{m}_Neither");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(101), ["selector"] = new JsonObject { ["pool"] = "db" } }, "selector").SetName("{m}_Both");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray() }, "vmids").SetName("{m}_EmptyVmIds");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray([.. Enumerable.Range(1000, 501).Select(v => (JsonNode)v)]) }, "vmids").SetName("{m}_501VmIds");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(101, 101) }, "vmids").SetName("{m}_DuplicateVmIds");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(99) }, "vmids").SetName("{m}_VmIdOutOfRange");
        yield return new TestCaseData("start", new JsonObject { ["selector"] = new JsonObject() }, "selector").SetName("{m}_EmptySelector");
        yield return new TestCaseData("start", new JsonObject { ["selector"] = new JsonObject { ["pool"] = "no pool!" } }, "selector.pool").SetName("{m}_BadPool");
        yield return new TestCaseData("start", new JsonObject { ["selector"] = new JsonObject { ["tag"] = "a;b" } }, "selector.tag").SetName("{m}_BadTag");
        yield return new TestCaseData("start", new JsonObject { ["selector"] = new JsonObject { ["node"] = "-x-" } }, "selector.node").SetName("{m}_BadNode");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(101), ["maxParallel"] = 0 }, "maxParallel").SetName("{m}_MaxParallel0");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(101), ["maxParallel"] = 33 }, "maxParallel").SetName("{m}_MaxParallel33");
        yield return new TestCaseData("start", new JsonObject { ["vmids"] = new JsonArray(101), ["timeoutSeconds"] = 10 }, "timeoutSeconds").SetName("{m}_TimeoutOnStart");
        yield return new TestCaseData("reboot", new JsonObject { ["vmids"] = new JsonArray(101), ["forceStop"] = true }, "forceStop").SetName("{m}_ForceStopOnReboot");
        yield return new TestCaseData("shutdown", new JsonObject { ["vmids"] = new JsonArray(101), ["timeoutSeconds"] = 3601 }, "timeoutSeconds").SetName("{m}_ShutdownTimeoutTooLong");
    }

    [TestCaseSource(nameof(InvalidBodies))]
    public async Task Batch(string action, JsonObject body, string field)
    {
        using var client = Factory.CreateAdminClient();
        var tasks = Factory.Emulator.State.Tasks.Count;

        using var response = await client.PostAsync($"/api/v1/containers/actions/{action}", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain(field));
            Assert.That(Factory.Emulator.State.Tasks, Has.Count.EqualTo(tasks));
        });
    }

    [Test]
    public async Task Batch_UnknownAction_Returns404Problem()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/actions/explode", new JsonObject { ["vmids"] = new JsonArray(101) });
        await response.ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Test]
    public async Task BatchStart_KeyWithoutPowerScope_Returns403InsufficientScope()
    {
        var key = (await Factory.CreateKeyAsync(["containers:read"], "batch-reader")).Key;
        using var client = Factory.CreateClient(key);

        using var response = await client.PostAsync("/api/v1/containers/actions/start", new JsonObject { ["vmids"] = new JsonArray(102) });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("containers:power"));
            Assert.That(Factory.Emulator.State.FindContainer(102)!.Running, Is.False);
        });
    }

    [Test]
    public async Task Resume_BatchLeftRunningByAnEarlierProcess_DispatchesOnlyWhatNoRowShowsAndSucceeds()
    {
        // As a process that died mid-batch left it: 101 undispatched, 102 marked dispatched but without a row (it never
        // reached Proxmox), 4242 dispatched and already ended (its row found by the request id linking it to the batch).
        var keyId = Factory.AdminKey!.Split('_')[1];
        var now = DateTimeOffset.UtcNow;
        await using var db = Factory.NewDbContext();
        var batch = OperationLog.Begin("crashed", "POST", "/api/v1/containers/actions/start", null, now);
        batch.SetCaller(keyId, "admin");
        batch.Describe("BatchStart", isMutating: true, "{\"vmids\":[101,102,4242],\"selector\":null,\"maxParallel\":2}", null, null);
        batch.MarkStarted(now);
        db.OperationLogs.Add(batch);
        await db.SaveChangesAsync();
        var child = OperationLog.Begin($"batch-{batch.Id}-4242", "POST", "/api/v1/containers/4242/start", null, now);
        child.SetCaller(keyId, "admin");
        child.Describe("StartContainer", isMutating: true, "{\"vmId\":4242}", 4242, null);
        child.Reject(now, "container_not_found", "Container 4242 was not found.");
        db.OperationLogs.Add(child);
        batch.RecordChanges("{\"maxParallel\":2,\"items\":[{\"vmid\":101,\"operationId\":null,\"status\":\"pending\",\"error\":null},"
            + "{\"vmid\":102,\"operationId\":null,\"status\":\"running\",\"error\":null},{\"vmid\":4242,\"operationId\":null,\"status\":\"running\",\"error\":null}]}");
        await db.SaveChangesAsync();
        var starts = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/start");

        await Factory.Services.GetRequiredService<BatchRunner>().ResumeAsync(CancellationToken.None);

        using var client = Factory.CreateAdminClient();
        var done = await client.WaitForOperationAsync(batch.Id);
        var items = Items(done);
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(items.Select(i => i.Status), Is.EqualTo(new[] { "succeeded", "succeeded", "rejected" }));
            Assert.That(items[2].OperationId, Is.EqualTo(child.Id));
            Assert.That(items[2].Code, Is.EqualTo("container_not_found"));
            Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc/{vmid}/status/start"), Is.EqualTo(starts + 2));
            Assert.That(Summary(done), Is.EqualTo((3, 2, 1)));
        });
    }

    [Test]
    public async Task Resume_BatchLeasedByAnotherInstance_LeftAloneWhileHeldAndContinuedOnceTheLeaseRanOut()
    {
        var keyId = Factory.AdminKey!.Split('_')[1];
        var now = DateTimeOffset.UtcNow;
        await using var db = Factory.NewDbContext();
        var batch = OperationLog.Begin("held-elsewhere", "POST", "/api/v1/containers/actions/stop", null, now);
        batch.SetCaller(keyId, "admin");
        batch.Describe("BatchStop", isMutating: true, "{\"vmids\":[105],\"selector\":null,\"maxParallel\":1}", null, null);
        batch.MarkStarted(now);
        batch.RecordChanges("{\"maxParallel\":1,\"items\":[{\"vmid\":105,\"operationId\":null,\"status\":\"pending\",\"error\":null}]}");
        db.OperationLogs.Add(batch);
        db.Entry(batch).Property("LeaseOwner").CurrentValue = "instance-b#live";
        db.Entry(batch).Property("LeaseUntil").CurrentValue = (DateTimeOffset?)now.AddHours(1);
        await db.SaveChangesAsync();
        var runner = Factory.Services.GetRequiredService<BatchRunner>();
        using var client = Factory.CreateAdminClient();

        await runner.ResumeAsync(CancellationToken.None);
        var whileHeld = await GetOperationAsync(client, batch.Id);

        db.Entry(batch).Property("LeaseUntil").CurrentValue = (DateTimeOffset?)now.AddSeconds(-1);
        await db.SaveChangesAsync();
        await runner.ResumeAsync(CancellationToken.None);
        var done = await client.WaitForOperationAsync(batch.Id);

        Assert.Multiple(() =>
        {
            Assert.That(whileHeld.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(Items(whileHeld).Single().Status, Is.EqualTo("pending"), "a batch another live instance holds is not continued here");
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(Items(done).Single().Status, Is.AnyOf("succeeded", "rejected"), "continued to its end once the lease ran out");
        });
    }

    private sealed record Item(int VmId, long? OperationId, string Status, string? Code, string? Message);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private static async Task<JsonElement> GetOperationAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/operations/{id}", UriKind.Relative));
        return await OkAsync(response);
    }

    private static List<Item> Items(JsonElement batch) =>
    [
        .. batch.GetProperty("items").EnumerateArray().Select(i => new Item(
            i.GetProperty("vmid").GetInt32(),
            i.GetProperty("operationId").ValueKind == JsonValueKind.Null ? null : i.GetProperty("operationId").GetInt64(),
            i.GetProperty("status").GetString()!,
            i.GetProperty("error").ValueKind == JsonValueKind.Null ? null : i.GetProperty("error").GetProperty("code").GetString(),
            i.GetProperty("error").ValueKind == JsonValueKind.Null ? null : i.GetProperty("error").GetProperty("message").GetString())),
    ];

    private static (int Total, int Succeeded, int Failed) Summary(JsonElement batch)
    {
        var summary = batch.GetProperty("summary");
        return (summary.GetProperty("total").GetInt32(), summary.GetProperty("succeeded").GetInt32(), summary.GetProperty("failed").GetInt32());
    }
}
