using System.Diagnostics;
using System.Net;
using ProxmoxLxc.Faults.Tests.Support;

namespace ProxmoxLxc.Faults.Tests;

/// <summary>The SQLite file locked by another writer during a mutating call, and a graceful stop under read load.</summary>
public class DatabaseFaultTests : FaultTestBase
{
    [Test]
    public async Task Start_DatabaseLockedByAnotherWriter_Answers503WithinFiveSecondsAndSendsNothing()
    {
        using var database = Service.OpenDatabase();
        using (var begin = database.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var watch = Stopwatch.StartNew();
        var (status, body, response) = await ReadAsync(StartInBackground());
        watch.Stop();
        var journalAfterWrite = await Emulator.JournalAsync();
        var (readStatus, _, _) = await ReadAsync(Service.Client.GetAsync($"api/v1/containers/{VmId}"));
        var ready = await ReadAsync(new HttpClient { BaseAddress = Service.BaseAddress }.GetAsync("health/ready"));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body?.ToJsonString());
            Assert.That(Text(body, "code"), Is.EqualTo("database_unavailable"));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(watch.Elapsed, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(journalAfterWrite, Is.Empty, "nothing reached Proxmox");
            Assert.That(readStatus, Is.EqualTo(HttpStatusCode.OK), "a read that does not need the database still answers");
            Assert.That(ready.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(Text(ready.Body?["checks"]?["database"], "status"), Is.EqualTo("Unhealthy"));
            Assert.That(Text(ready.Body?["checks"]?["proxmox"], "status"), Is.EqualTo("Healthy"));
        });

        using (var rollback = database.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        // Once the database is back, the refused call's row and the read's row are written (batched, not lost).
        var refused = await Poll.UntilAsync(async () => (await Service.OperationsAsync(VmId, "StartContainer")) is [var first, ..] ? first : null,
            TimeSpan.FromSeconds(20), "the refused call's row");
        var read = await Poll.UntilAsync(async () => (await Service.OperationsAsync(VmId, "GetContainer")) is [var first, ..] ? first : null,
            TimeSpan.FromSeconds(20), "the read's row");
        Assert.Multiple(async () =>
        {
            Assert.That(Text(refused, "status"), Is.EqualTo("failed"));
            Assert.That(Text(refused["error"], "code"), Is.EqualTo("database_unavailable"));
            Assert.That(refused["httpStatus"]!.GetValue<int>(), Is.EqualTo(503));
            Assert.That(Text(read, "status"), Is.EqualTo("succeeded"));
            Assert.That(await Emulator.CountAsync("POST", StartPath), Is.Zero);
            Assert.That(await Emulator.ContainerStatusAsync(Node, VmId), Is.EqualTo("stopped"));
        });
    }

    [Test]
    public async Task Reads_SigtermUnderLoad_EveryAnsweredReadKeepsItsRow()
    {
        var answered = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = Service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add("X-API-Key", ServiceUnderTest.AdminKey);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync($"api/v1/containers/{VmId}/status");
                    if (response.Headers.TryGetValues("X-Request-Id", out var ids))
                    {
                        answered.Add(ids.Single());
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the server stopped listening
                }
            }
        })).ToList();

        await Poll.UntilAsync(() => Task.FromResult(answered.Count >= 200), TimeSpan.FromSeconds(60), "200 answered reads");
        await Service.Process.TerminateAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var stored = new HashSet<string>(StringComparer.Ordinal);
        using (var database = Service.OpenDatabase())
        using (var select = database.CreateCommand())
        {
            select.CommandText = "SELECT RequestId FROM OperationLogs";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        var missing = answered.Where(id => !stored.Contains(id)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(Service.Process.ExitCode, Is.Zero, Service.Output);
            Assert.That(answered, Has.Count.GreaterThanOrEqualTo(200));
            Assert.That(missing, Is.Empty, $"{missing.Count} of {answered.Count} answered reads have no row");
        });
    }
}
