using ProxmoxEmulator;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixture]
public sealed class RestartTests
{
    [Test]
    public async Task ApiRestart_WhileTaskRuns_OperationStillCompletes()
    {
        var options = EmulatorOptions.DefaultSeed();
        options.DefaultTaskDuration = TimeSpan.FromMilliseconds(100);
        options.TaskDurations["vzcreate"] = TimeSpan.FromSeconds(3);
        await using var emulator = await ProxmoxEmulatorServer.StartAsync(options);
        var database = TestDatabase.CreateDefault();
        var adminKey = ApiFactory.NewKeyString();
        long operationId;
        string upid;
        try
        {
            await using (var first = new ApiFactory(new() { Emulator = emulator, Database = database, AdminKey = adminKey }))
            {
                using var client = first.CreateAdminClient();
                using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("survivor"));
                var operation = await response.AcceptedAsync();
                operationId = operation.GetProperty("id").GetInt64();
                upid = operation.GetProperty("taskId").GetString()!;
            }

            // The API is gone while Proxmox is still creating: the row is left running.
            Assert.That(emulator.State.FindTask(upid)!.IsRunning, Is.True);
            await using (var db = database.NewContext())
            {
                var left = db.OperationLogs.Single(o => o.Id == operationId);
                Assert.That(left.Outcome, Is.EqualTo(OperationOutcome.Running));
            }

            await using var second = new ApiFactory(new() { Emulator = emulator, Database = database, AdminKey = adminKey });
            using var client2 = second.CreateAdminClient();
            var done = await client2.WaitForOperationAsync(operationId, TimeSpan.FromSeconds(30));
            var row = await second.OperationRowAsync(operationId);
            Assert.Multiple(() =>
            {
                Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
                Assert.That(row.Outcome, Is.EqualTo(OperationOutcome.Succeeded));
                Assert.That(row.ExitStatus, Is.EqualTo("OK"));
                Assert.That(row.CompletedAt, Is.Not.Null);
                Assert.That(row.HttpStatus, Is.EqualTo(202));
                Assert.That(emulator.State.FindTask(upid)!.IsRunning, Is.False);
                Assert.That(second.Logs.AllText, Does.Contain("Resuming 1 unfinished operations"));
            });
        }
        finally
        {
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                File.Delete(database.SqliteFilePath + suffix);
            }
        }
    }
}
