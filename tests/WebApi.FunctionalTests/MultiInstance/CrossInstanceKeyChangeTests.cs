using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.MultiInstance;

/// <summary>
/// Two instances on one database: a key revoked, disabled, rotated or re-scoped through A stops working on B within
/// 2 s (B polls the key-change stamp once a second), while B authenticates from its key cache without reading the key
/// from the database per request.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class CrossInstanceKeyChangeTests(DatabaseProvider provider)
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private static readonly Uri Operations = new("/api/v1/operations?limit=1", UriKind.Relative);
    private static readonly Uri Nodes = new("/api/v1/nodes", UriKind.Relative);
    private ApiFactory _a = null!;
    private ApiFactory _b = null!;

    [OneTimeSetUp]
    public void StartInstances()
    {
        var database = TestDatabase.Create(provider);
        _a = new ApiFactory(new() { Database = database });
        _b = new ApiFactory(new() { Database = database, AdminKey = _a.AdminKey });
        _b.Settings["Logging:LogLevel:" + CommandCategory] = "Information";
        _b.Settings["RateLimiting:PermitsPerMinute"] = "100000"; // about key reads, not the per-key budget (a quiet machine sends hundreds a second)
        _b.Settings["Logging:LogLevel:ProxmoxLxc.Infrastructure.Security.KeyChangeWatcher"] = "Debug";
        _ = _a.Services; // A migrates and seeds; then B starts on the same database
        _ = _b.Services;
    }

    [OneTimeTearDown]
    public async Task StopInstances()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Test]
    public async Task Revoke_OnA_RefusedOnBWithinTwoSeconds()
    {
        var key = await _a.CreateKeyAsync(["audit:read"]);
        await ExpectOnBAsync(key.Key, Operations, HttpStatusCode.OK);

        using var admin = _a.CreateAdminClient();
        using var revoked = await admin.DeleteAsync(new Uri($"/api/v1/keys/{key.Id}", UriKind.Relative));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That(await TimeUntilOnBAsync(key.Key, Operations, HttpStatusCode.Unauthorized), Is.LessThanOrEqualTo(Bound));
    }

    [Test]
    public async Task Disable_OnA_RefusedOnBWithinTwoSeconds()
    {
        var key = await _a.CreateKeyAsync(["audit:read"]);
        await ExpectOnBAsync(key.Key, Operations, HttpStatusCode.OK);

        using var admin = _a.CreateAdminClient();
        using var disabled = await admin.PatchAsJsonAsync($"/api/v1/keys/{key.Id}", new { enabled = false });
        Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await disabled.Content.ReadAsStringAsync());

        Assert.That(await TimeUntilOnBAsync(key.Key, Operations, HttpStatusCode.Unauthorized), Is.LessThanOrEqualTo(Bound));
    }

    [Test]
    public async Task Rotate_OnA_OldSecretRefusedOnBWithinTwoSeconds()
    {
        var key = await _a.CreateKeyAsync(["audit:read"]);
        await ExpectOnBAsync(key.Key, Operations, HttpStatusCode.OK);

        using var admin = _a.CreateAdminClient();
        using var rotated = await admin.PostAsync(new Uri($"/api/v1/keys/{key.Id}/rotate", UriKind.Relative), null);
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.Created), await rotated.Content.ReadAsStringAsync());
        var newKey = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        Assert.That(await TimeUntilOnBAsync(key.Key, Operations, HttpStatusCode.Unauthorized), Is.LessThanOrEqualTo(Bound));
        await ExpectOnBAsync(newKey, Operations, HttpStatusCode.OK);
    }

    [Test]
    public async Task RemoveScope_OnA_ForbiddenOnBWithinTwoSeconds()
    {
        var key = await _a.CreateKeyAsync(["audit:read", "containers:read"]);
        await ExpectOnBAsync(key.Key, Nodes, HttpStatusCode.OK);

        using var admin = _a.CreateAdminClient();
        using var changed = await admin.PatchAsJsonAsync($"/api/v1/keys/{key.Id}", new { scopes = new[] { "audit:read" } });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());

        Assert.That(await TimeUntilOnBAsync(key.Key, Nodes, HttpStatusCode.Forbidden), Is.LessThanOrEqualTo(Bound));
    }

    [Test]
    public async Task Authenticate_OnBRepeatedly_ReadsNoKeyFromTheDatabasePerRequest()
    {
        var key = await _a.CreateKeyAsync(["audit:read"]);
        await WaitUntilBSawTheCurrentStampAsync();
        await ExpectOnBAsync(key.Key, Operations, HttpStatusCode.OK); // the one read that fills B's cache
        var keyReads = KeyReadsOnB();
        var stampReads = StampReadsOnB();

        using var client = _b.CreateClient(key.Key);
        var started = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        while (started.Elapsed < TimeSpan.FromSeconds(2.5))
        {
            using var response = await client.GetAsync(Operations);
            statuses.Add(response.StatusCode);
        }

        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Count.GreaterThan(5).And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(KeyReadsOnB() - keyReads, Is.Zero, $"{statuses.Count} requests, no key read from the database");
            Assert.That(StampReadsOnB() - stampReads, Is.InRange(1, 4), "the stamp is read once a second, not per request");
        });
    }

    /// <summary>Authentication's lookup of one key by id (<c>LIMIT 1</c>; the last-use flusher's batch read has none).</summary>
    private int KeyReadsOnB() => _b.Logs.Messages.Count(m => m.StartsWith("Information " + CommandCategory, StringComparison.Ordinal)
        && m.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal) && m.Contains("LIMIT 1", StringComparison.Ordinal));

    private int StampReadsOnB() => _b.Logs.Messages.Count(m => m.StartsWith("Information " + CommandCategory, StringComparison.Ordinal) && m.Contains("FROM \"KeyChangeStamps\"", StringComparison.Ordinal));

    /// <summary>Waits until B's watcher has seen the stamp as it is now, so no drop of B's cache is still to come.</summary>
    private async Task WaitUntilBSawTheCurrentStampAsync()
    {
        await using var db = _a.NewDbContext();
        var stamp = await db.KeyChangeStamps.AsNoTracking().Select(s => s.Value).SingleAsync();
        var deadline = Stopwatch.StartNew();
        while (!_b.Logs.Messages.Any(m => m.Contains($"Key-change stamp is now {stamp}", StringComparison.Ordinal)))
        {
            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "B never read the current stamp");
            await Task.Delay(20);
        }
    }

    private async Task ExpectOnBAsync(string key, Uri path, HttpStatusCode expected)
    {
        using var client = _b.CreateClient(key);
        using var response = await client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(expected), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks B every 20 ms until it answers <paramref name="expected"/> (at most 10 s) and returns how long that took.</summary>
    private async Task<TimeSpan> TimeUntilOnBAsync(string key, Uri path, HttpStatusCode expected)
    {
        using var client = _b.CreateClient(key);
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == expected)
            {
                await TestContext.Out.WriteLineAsync($"{provider}: B answered {(int)expected} after {elapsed.Elapsed.TotalMilliseconds:0} ms");
                return elapsed.Elapsed;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"B never answered {(int)expected} within 10 s");
        return elapsed.Elapsed;
    }
}
