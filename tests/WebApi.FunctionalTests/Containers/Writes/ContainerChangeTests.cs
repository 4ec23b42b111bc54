using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

/// <summary>Config, resize, snapshots, clone and delete: success paths and documented errors.</summary>
[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ContainerChangeTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private static Dictionary<string, string> IfMatch(string digest) => new() { ["If-Match"] = $"\"{digest}\"" };

    [Test]
    public async Task UpdateConfig_StaleETag_Returns412AndChangesNothing()
    {
        using var client = Factory.CreateAdminClient();
        var stale = Factory.Emulator.State.FindContainer(102)!.Digest;
        using (var first = await client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/102/config", new JsonObject { ["description"] = "changed by someone" }, IfMatch(stale)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        }

        using var second = await client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/102/config", new JsonObject { ["cores"] = 4 }, IfMatch(stale));
        await second.ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.That(Factory.Emulator.State.FindContainer(102)!.Config["cores"], Is.EqualTo("1"));
    }

    [Test]
    public async Task UpdateConfig_DigestChangesBetweenReadAndWrite_ProxmoxRefusalIs412()
    {
        using var client = Factory.CreateAdminClient();
        var digest = Factory.Emulator.State.FindContainer(101)!.Digest;
        // Someone changes the container after our read but before our write: the digest goes to Proxmox, which refuses.
        Factory.Emulator.Faults.AddLatency(TimeSpan.FromMilliseconds(400), "^/nodes/pve2/lxc/101/config$", "PUT", count: 1);
        var change = Task.Run(async () =>
        {
            await Task.Delay(150);
            Factory.Emulator.State.Mutate(s => s.FindContainer(101)!.Config["description"] = "raced");
        });
        using var response = await client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/101/config", new JsonObject { ["cores"] = 3 }, IfMatch(digest));
        await change;
        await response.ProblemAsync(HttpStatusCode.PreconditionFailed, "precondition_failed");
        Assert.That(Factory.Emulator.State.FindContainer(101)!.Config["cores"], Is.Not.EqualTo("3"));
    }

    [Test]
    public async Task UpdateConfig_RunningContainer_ListsPendingChangesAndRecordsBeforeAfter()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/100/config", new JsonObject
        {
            ["cores"] = 3,
            ["memoryMiB"] = 2048,
            ["tags"] = new JsonArray("prod", "web", "patched"),
            ["networks"] = new JsonArray(new JsonObject { ["index"] = 1, ["bridge"] = "vmbr1", ["ipv4"] = "dhcp", ["vlan"] = 20 }),
            ["delete"] = new JsonArray("nameserver"),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var detail = JsonSerializer.Deserialize<JsonElement>(body);
        var pendingKeys = detail.GetProperty("pendingChanges").EnumerateArray().Select(p => p.GetProperty("key").GetString()).ToList();
        Assert.That(pendingKeys, Does.Contain("cores"));
        var ct = Factory.Emulator.State.FindContainer(100)!;
        Assert.That(ct.Config["net1"], Does.Contain("bridge=vmbr1").And.Contain("tag=20"));

        var rowId = await LatestRowIdAsync("UpdateContainerConfig", 100);
        var row = await Factory.OperationRowAsync(rowId);
        var changes = JsonSerializer.Deserialize<JsonElement>(row.Changes!);
        Assert.Multiple(() =>
        {
            Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
            Assert.That(changes.GetProperty("digestAfter").GetString(), Is.EqualTo(detail.GetProperty("digest").GetString()));
            Assert.That(changes.GetProperty("changes").GetProperty("memory").GetProperty("after").GetString(), Is.EqualTo("2048"));
            Assert.That(changes.GetProperty("changes").GetProperty("net1").GetProperty("before").ValueKind, Is.EqualTo(JsonValueKind.Null));
        });
    }

    [Test]
    public async Task UpdateConfig_DeleteField_RemovesProxmoxKey()
    {
        using var client = Factory.CreateAdminClient();
        Factory.Emulator.State.Mutate(s => s.FindContainer(101)!.Config["searchdomain"] = "old.example");
        using var response = await client.SendJsonAsync(HttpMethod.Patch, "/api/v1/containers/101/config", new JsonObject { ["delete"] = new JsonArray("searchDomain") });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(Factory.Emulator.State.FindContainer(101)!.Config.ContainsKey("searchdomain"), Is.False);
    }

    [Test]
    public async Task Resize_Shrink_Returns422BeforeProxmoxIsCalled()
    {
        using var client = Factory.CreateAdminClient();
        var resizes = Factory.Emulator.Journal.Count("PUT", "/nodes/{node}/lxc/{vmid}/resize");
        using var response = await client.PostAsync("/api/v1/containers/101/resize", new JsonObject { ["disk"] = "rootfs", ["sizeGiB"] = 8 });
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").GetProperty("sizeGiB")[0].GetString(), Does.Contain("16"));
        Assert.That(Factory.Emulator.Journal.Count("PUT", "/nodes/{node}/lxc/{vmid}/resize"), Is.EqualTo(resizes));
    }

    [Test]
    public async Task Resize_GrowBy_AddsToTheDisk()
    {
        using var client = Factory.CreateAdminClient();
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/resize", new JsonObject { ["disk"] = "rootfs", ["growGiB"] = 2 });
        Assert.That(Factory.Emulator.State.FindContainer(102)!.Config["rootfs"], Does.Contain("size=6G"));
    }

    [Test]
    public async Task Resize_UnknownDisk_Returns422()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/101/resize", new JsonObject { ["disk"] = "mp3", ["growGiB"] = 1 });
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("disk", out _), Is.True);
    }

    [Test]
    public async Task Delete_Running_Returns409WithoutForce()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.SendJsonAsync(HttpMethod.Delete, "/api/v1/containers/100");
        await response.ProblemAsync(HttpStatusCode.Conflict, "container_state_conflict");
        Assert.That(Factory.Emulator.State.FindContainer(100), Is.Not.Null);
    }

    [Test]
    public async Task Delete_RunningWithForce_StopsThenDeletesInOneOperation()
    {
        using var client = Factory.CreateAdminClient();
        var created = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("forced", b => b["start"] = true));
        var vmid = created.GetProperty("vmid").GetInt32();
        Assert.That(Factory.Emulator.State.FindContainer(vmid)!.Running, Is.True);
        var deleted = await client.RunAsync(HttpMethod.Delete, $"/api/v1/containers/{vmid}?force=true");
        Assert.That(Factory.Emulator.State.FindContainer(vmid), Is.Null);
        var row = await Factory.OperationRowAsync(deleted.GetProperty("id").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(row.Action, Is.EqualTo("DeleteContainer"));
            Assert.That(row.Changes, Does.Contain("stopTask"));
            Assert.That(Factory.Emulator.State.FindTask(row.TaskId!)!.Type, Is.EqualTo("vzdestroy"));
        });
    }

    [Test]
    public async Task Snapshots_CreateDeleteAndErrors()
    {
        using var client = Factory.CreateAdminClient();
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "s1", ["description"] = "one" });
        using (var again = await client.PostAsync("/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "s1" }))
        {
            await again.ProblemAsync(HttpStatusCode.Conflict, "snapshot_exists");
        }

        using (var missing = await client.PostAsync("/api/v1/containers/101/snapshots/nope/rollback"))
        {
            await missing.ProblemAsync(HttpStatusCode.NotFound, "snapshot_not_found");
        }

        using (var badName = await client.SendJsonAsync(HttpMethod.Delete, "/api/v1/containers/101/snapshots/current"))
        {
            var problem = await badName.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.That(problem.GetProperty("errors").TryGetProperty("name", out _), Is.True);
        }

        await client.RunAsync(HttpMethod.Delete, "/api/v1/containers/101/snapshots/s1");
        Assert.That(Factory.Emulator.State.FindContainer(101)!.Snapshots, Is.Empty);
    }

    [Test]
    public async Task Clone_Full_CreatesNewContainerInSourcePool()
    {
        using var client = Factory.CreateAdminClient();
        var done = await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/clone", new JsonObject
        {
            ["newVmid"] = 601,
            ["hostname"] = "db1-copy",
            ["full"] = true,
            ["targetStorage"] = "local-lvm",
        });
        var clone = Factory.Emulator.State.FindContainer(601)!;
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("action").GetString(), Is.EqualTo("CloneContainer"));
            Assert.That(clone.Hostname, Is.EqualTo("db1-copy"));
            Assert.That(clone.Pool, Is.EqualTo("db"));
            Assert.That(clone.Lock, Is.Null);
        });
    }

    [Test]
    public async Task Clone_LinkedOfNonTemplate_Returns422()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/101/clone", new JsonObject { ["hostname"] = "linked", ["full"] = false });
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("full", out _), Is.True);
    }

    private async Task<long> LatestRowIdAsync(string action, int vmid)
    {
        await using var db = Factory.NewDbContext();
        return db.OperationLogs.Where(o => o.Action == action && o.VmId == vmid).Max(o => o.Id);
    }
}
