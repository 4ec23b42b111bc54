using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class IdempotencyTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    [Test]
    public async Task Create_SameKeySentTwiceConcurrently_OneContainerAndSameOperation()
    {
        using var client = Factory.CreateAdminClient();
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");
        var before = Factory.Emulator.State.Containers.Count;
        var body = WriteApi.CreateBody("idem1");
        // The create task must outlive both answers, or on a loaded machine the later one may already see a finished
        // operation (a replay of a finished operation answers 200, by design).
        Factory.Emulator.Engine.Options.TaskDurations["vzcreate"] = TimeSpan.FromSeconds(3);
        HttpResponseMessage[] responses;
        try
        {
            responses = await Task.WhenAll(
                client.PostAsync("/api/v1/containers", body.DeepClone(), Key("create-idem1")),
                client.PostAsync("/api/v1/containers", body.DeepClone(), Key("create-idem1")));
        }
        finally
        {
            Factory.Emulator.Engine.Options.TaskDurations.Remove("vzcreate");
        }

        var ids = new List<long>();
        foreach (var response in responses)
        {
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), text);
                ids.Add(System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(text).GetProperty("id").GetInt64());
            }
        }

        Assert.That(ids[0], Is.EqualTo(ids[1]));
        var done = await client.WaitForOperationAsync(ids[0]);
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates + 1));
            Assert.That(Factory.Emulator.State.Containers.Count, Is.EqualTo(before + 1));
            Assert.That(Factory.Emulator.State.Containers.Count(c => c.Hostname == "idem1"), Is.EqualTo(1));
        });

        // a third, later repeat also returns the first operation, now finished
        using var third = await client.PostAsync("/api/v1/containers", body.DeepClone(), Key("create-idem1"));
        var replay = await third.JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(replay.GetProperty("id").GetInt64(), Is.EqualTo(ids[0]));
            Assert.That(replay.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates + 1));
        });

        await using var db = Factory.NewDbContext();
        var records = await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == "create-idem1").ToListAsync();
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.That(records[0].OperationId, Is.EqualTo(ids[0]));
    }

    [Test]
    public async Task Post_SameKeyOtherBody_Returns422IdempotencyKeyReused()
    {
        using var client = Factory.CreateAdminClient();
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "idem-a" });
        using var first = await client.PostAsync("/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "idem-b" }, Key("snap-key"));
        var firstOperation = (await first.AcceptedAsync()).GetProperty("id").GetInt64();
        using var other = await client.PostAsync("/api/v1/containers/101/snapshots", new JsonObject { ["name"] = "idem-c" }, Key("snap-key"));
        await other.ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        using var otherTarget = await client.PostAsync("/api/v1/containers/102/snapshots", new JsonObject { ["name"] = "idem-b" }, Key("snap-key"));
        await otherTarget.ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.That((await client.WaitForOperationAsync(firstOperation)).GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        var names = Factory.Emulator.State.Read(s => s.FindContainer(101)!.Snapshots.Select(snap => snap.Name).ToList());
        Assert.That(names, Does.Contain("idem-b").And.Not.Contain("idem-c"));
    }

    [Test]
    public async Task Power_SameKeyFromAnotherApiKey_ActsIndependently()
    {
        var key = (await Factory.CreateKeyAsync(["containers:power", "containers:read"], "power2")).Key;
        using var admin = Factory.CreateAdminClient();
        using var other = Factory.CreateClient(key);
        using var a = await admin.PostAsync("/api/v1/containers/102/start", headers: Key("shared-key"));
        var opA = await a.AcceptedAsync();
        await admin.WaitForOperationAsync(opA.GetProperty("id").GetInt64());
        using var b = await other.PostAsync("/api/v1/containers/102/stop", headers: Key("shared-key"));
        var opB = await b.AcceptedAsync();
        Assert.That(opB.GetProperty("id").GetInt64(), Is.Not.EqualTo(opA.GetProperty("id").GetInt64()));
        await other.WaitForOperationAsync(opB.GetProperty("id").GetInt64());
        Assert.That(Factory.Emulator.State.FindContainer(102)!.Running, Is.False);
    }

    [Test]
    public async Task Post_FailedRequest_ReleasesKeyForRetry()
    {
        using var client = Factory.CreateAdminClient();
        using (var conflict = await client.PostAsync("/api/v1/containers/101/stop", headers: Key("retry-key")))
        {
            await conflict.ProblemAsync(HttpStatusCode.Conflict, "container_state_conflict");
        }

        using var retry = await client.PostAsync("/api/v1/containers/101/start", headers: Key("retry-key"));
        var op = await retry.AcceptedAsync();
        await client.WaitForOperationAsync(op.GetProperty("id").GetInt64());
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");
    }
}
