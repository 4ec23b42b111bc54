using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.MultiInstance;

/// <summary>
/// Idempotency across instances: the claim of an <c>Idempotency-Key</c> is one insert into a unique index of the shared
/// database, so duplicates sent at once to different instances act once.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class CrossInstanceIdempotencyTests(DatabaseProvider provider)
{
    [Test]
    public async Task Create_SameKeySentConcurrentlyToTwoInstances_OneProxmoxCreateAndOneOperation()
    {
        // The create task lasts until released, so every duplicate is answered while the first is still running.
        await using var cluster = await SharedDatabaseInstances.StartAsync(provider, 2, ["vzcreate"]);
        var clients = cluster.Instances.Select(i => i.CreateAdminClient()).ToList();
        var body = WriteApi.CreateBody("idem-shared");
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "shared-create-1" };
        try
        {
            // Two duplicates per instance, all at once.
            var responses = await Task.WhenAll(clients.Concat(clients).Select(c => c.PostAsync("/api/v1/containers", body.DeepClone(), headers)));
            var ids = new List<long>();
            foreach (var response in responses)
            {
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), text);
                    ids.Add(JsonSerializer.Deserialize<JsonElement>(text).GetProperty("id").GetInt64());
                }
            }

            Assert.Multiple(() =>
            {
                Assert.That(ids.Distinct().Count(), Is.EqualTo(1), "every duplicate answers the first Operation");
                Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(1), "one Proxmox create");
                Assert.That(cluster.Emulator.State.Containers.Count(c => c.Hostname == "idem-shared"), Is.EqualTo(1));
            });

            cluster.Gate.Release();
            var done = await clients[1].WaitForOperationAsync(ids[0], TimeSpan.FromSeconds(30));
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            await using var db = cluster.Database.NewContext();
            var records = await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == "shared-create-1").ToListAsync();
            Assert.That(records, Has.Count.EqualTo(1));
            Assert.That(records[0].OperationId, Is.EqualTo(ids[0]));
            var rows = await db.OperationLogs.AsNoTracking().Where(o => o.Action == "CreateContainer").ToListAsync();
            Assert.That(rows.Count(o => o.TaskId is not null), Is.EqualTo(1), "one operation carries the Proxmox task; the others record replays");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }
}
