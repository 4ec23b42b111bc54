using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ContainerLifecycleTests(DatabaseProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task FullLife_CreateStartConfigureResizeSnapshotRollbackStopDelete_EmulatorAndOperationLogFollowEachStep()
    {
        using var client = Factory.CreateAdminClient();
        var state = Factory.Emulator.State;

        // create (vmid and node chosen by the service)
        var created = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("life1", b =>
        {
            b["tags"] = new JsonArray("life", "test");
            b["description"] = "first line\nsecond line";
        }));
        var vmid = created.GetProperty("vmid").GetInt32();
        var ct = state.FindContainer(vmid);
        Assert.That(ct, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(created.GetProperty("action").GetString(), Is.EqualTo("CreateContainer"));
            Assert.That(created.GetProperty("node").GetString(), Is.EqualTo(ct!.Node));
            Assert.That(ct.Config["hostname"], Is.EqualTo("life1"));
            Assert.That(ct.Config["memory"], Is.EqualTo("512"));
            Assert.That(ct.Config["unprivileged"], Is.EqualTo("1"));
            Assert.That(ct.Config["net0"], Does.Contain("ip=10.0.0.50/24").And.Contain("gw=10.0.0.1").And.Contain("bridge=vmbr0"));
            Assert.That(ct.Config["rootfs"], Does.Contain("size=4G"));
            Assert.That(ct.Lock, Is.Null);
            Assert.That(ct.Running, Is.False);
        });

        // start
        var started = await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/start");
        Assert.That(state.FindContainer(vmid)!.Running, Is.True);

        // config change with the current digest as ETag
        var digest = state.FindContainer(vmid)!.Digest;
        using (var patch = await client.SendJsonAsync(HttpMethod.Patch, $"/api/v1/containers/{vmid}/config",
            new JsonObject { ["memoryMiB"] = 1024, ["cores"] = 2, ["onBoot"] = true }, new Dictionary<string, string> { ["If-Match"] = $"\"{digest}\"" }))
        {
            var body = await patch.Content.ReadAsStringAsync();
            Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            var detail = JsonSerializer.Deserialize<JsonElement>(body);
            var newDigest = state.FindContainer(vmid)!.Digest;
            Assert.Multiple(() =>
            {
                Assert.That(patch.Headers.ETag?.Tag, Is.EqualTo($"\"{newDigest}\""));
                Assert.That(detail.GetProperty("vmid").GetInt32(), Is.EqualTo(vmid));
                Assert.That(detail.GetProperty("digest").GetString(), Is.EqualTo(newDigest));
                Assert.That(state.FindContainer(vmid)!.Config["memory"], Is.EqualTo("1024"));
            });
        }

        // resize the root disk from 4 to 6 GiB
        await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/resize", new JsonObject { ["disk"] = "rootfs", ["sizeGiB"] = 6 });
        Assert.That(state.FindContainer(vmid)!.Config["rootfs"], Does.Contain("size=6G"));

        // snapshot, change, roll back
        await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/snapshots", new JsonObject { ["name"] = "before-upgrade", ["description"] = "safe point" });
        Assert.That(state.FindContainer(vmid)!.Snapshots.Select(s => s.Name), Does.Contain("before-upgrade"));
        await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/snapshots/before-upgrade/rollback");
        Assert.That(state.FindContainer(vmid)!.Running, Is.False, "a rollback stops the container (as Proxmox does)");
        await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/start");
        Assert.That(state.FindContainer(vmid)!.Running, Is.True);

        // stop and delete
        await client.RunAsync(HttpMethod.Post, $"/api/v1/containers/{vmid}/stop");
        Assert.That(state.FindContainer(vmid)!.Running, Is.False);
        var deleted = await client.RunAsync(HttpMethod.Delete, $"/api/v1/containers/{vmid}?purge=true");
        Assert.That(state.FindContainer(vmid), Is.Null);

        // the operation log holds one completed row per step, with the task and the target
        await using var db = Factory.NewDbContext();
        var rows = await db.OperationLogs.AsNoTracking().Where(o => o.VmId == vmid && o.IsMutating).OrderBy(o => o.Id).ToListAsync();
        Assert.That(rows.Select(r => r.Action), Is.EqualTo(new[]
        {
            "CreateContainer", "StartContainer", "UpdateContainerConfig", "ResizeContainerDisk", "CreateSnapshot",
            "RollbackSnapshot", "StartContainer", "StopContainer", "DeleteContainer",
        }));
        Assert.Multiple(() =>
        {
            foreach (var row in rows)
            {
                Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded), row.Action);
                Assert.That(row.CompletedAt, Is.Not.Null, row.Action);
                Assert.That(row.DurationMs, Is.Not.Null, row.Action);
                Assert.That(row.KeyName, Is.EqualTo("bootstrap-admin"), row.Action);
                Assert.That(row.Node, Is.EqualTo(ct!.Node), row.Action);
                if (row.Action != "UpdateContainerConfig")
                {
                    Assert.That(row.TaskId, Does.StartWith("UPID:"), row.Action);
                    Assert.That(row.ExitStatus, Is.EqualTo("OK"), row.Action);
                    Assert.That(row.HttpStatus, Is.EqualTo(202), row.Action);
                }
            }

            var config = rows.Single(r => r.Action == "UpdateContainerConfig");
            Assert.That(config.HttpStatus, Is.EqualTo(200));
            var changes = JsonSerializer.Deserialize<JsonElement>(config.Changes!);
            Assert.That(changes.GetProperty("digestBefore").GetString(), Is.EqualTo(digest));
            Assert.That(changes.GetProperty("changes").GetProperty("memory").GetProperty("before").GetString(), Is.EqualTo("512"));
            Assert.That(changes.GetProperty("changes").GetProperty("memory").GetProperty("after").GetString(), Is.EqualTo("1024"));
            Assert.That(changes.GetProperty("changes").TryGetProperty("onboot", out _), Is.True);
            Assert.That(started.GetProperty("id").GetInt64(), Is.EqualTo(rows[1].Id));
            Assert.That(deleted.GetProperty("id").GetInt64(), Is.EqualTo(rows[^1].Id));
        });
        Assert.That(Factory.Emulator.Journal.SchemaViolations, Is.Empty);
    }

    [Test]
    public async Task GetOperation_WithTask_IncludesTaskLogTail()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers/102/start");
        var operation = await response.AcceptedAsync();
        var done = await client.WaitForOperationAsync(operation.GetProperty("id").GetInt64());
        var log = done.GetProperty("taskLog").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.That(log, Has.Some.EqualTo("TASK OK"));
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
    }
}
