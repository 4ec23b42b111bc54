using System.Net;
using System.Net.Http.Json;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Performance;

/// <summary>Authentication reads keys from the per-instance cache; every key change through the API takes effect at once.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class KeyCacheTests(DatabaseProvider provider)
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";
    private ApiFactory _factory = null!;

    private const string WatcherCategory = "ProxmoxLxc.Infrastructure.Security.KeyChangeWatcher";

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        _factory.Settings["Logging:LogLevel:" + CommandCategory] = "Information";

        // Alone on its database, this instance learns of key changes from its own handlers; the stamp watcher (which
        // drops the whole cache when another instance changed a key) reads the stamp once at start-up and then not
        // within these tests, so a cache drop by the watcher cannot be mistaken for a missed cache hit.
        _factory.Settings["KeyCache:ChangePollInterval"] = "01:00:00";
        _factory.Settings["Logging:LogLevel:" + WatcherCategory] = "Debug";
        _ = _factory.Services;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_factory.Logs.Messages.Any(m => m.Contains("Key-change stamp is now", StringComparison.Ordinal)))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the watcher's start-up read of the stamp");
            await Task.Delay(20);
        }
    }

    [OneTimeTearDown]
    public async Task StopApi() => await _factory.DisposeAsync();

    private async Task<HttpStatusCode> UseAsync(string key, string path = "/api/v1/operations?limit=1")
    {
        using var client = _factory.CreateClient(key);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private int KeyQueries() => _factory.Logs.Messages.Count(m => m.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal));

    [Test]
    public async Task Authenticate_RepeatedUse_NoDatabaseReadOfTheKeyAfterTheFirst()
    {
        var key = await _factory.CreateKeyAsync(["audit:read"]);
        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));
        var before = KeyQueries();

        for (var i = 0; i < 5; i++)
        {
            Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(KeyQueries(), Is.EqualTo(before), "the key came from the cache");
    }

    [Test]
    public async Task UpdateScopes_CachedKey_NewScopesApplyToTheVeryNextRequest()
    {
        var key = await _factory.CreateKeyAsync(["audit:read", "containers:read"]);
        Assert.That(await UseAsync(key.Key, "/api/v1/nodes"), Is.EqualTo(HttpStatusCode.OK));

        using var admin = _factory.CreateAdminClient();
        using var changed = await admin.PatchAsJsonAsync($"/api/v1/keys/{key.Id}", new { scopes = new[] { "audit:read" } });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());

        Assert.Multiple(async () =>
        {
            Assert.That(await UseAsync(key.Key, "/api/v1/nodes"), Is.EqualTo(HttpStatusCode.Forbidden), "the dropped scope is gone at once");
            Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Revoke_CachedKeyUsedConcurrently_RefusedFromTheNextRequestOn()
    {
        var key = await _factory.CreateKeyAsync(["audit:read"]);
        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));

        using var admin = _factory.CreateAdminClient();
        using var revoked = await admin.DeleteAsync(new Uri($"/api/v1/keys/{key.Id}", UriKind.Relative));
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var after = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => UseAsync(key.Key)));
        Assert.That(after, Has.All.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Disable_CachedKey_RefusedAtOnceAndAcceptedAgainWhenEnabled()
    {
        var key = await _factory.CreateKeyAsync(["audit:read"]);
        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));

        using var admin = _factory.CreateAdminClient();
        using (var disabled = await admin.PatchAsJsonAsync($"/api/v1/keys/{key.Id}", new { enabled = false }))
        {
            Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await disabled.Content.ReadAsStringAsync());
        }

        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled key is refused from the next request on");

        using (var enabled = await admin.PatchAsJsonAsync($"/api/v1/keys/{key.Id}", new { enabled = true }))
        {
            Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.OK), await enabled.Content.ReadAsStringAsync());
        }

        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK), "enabled again at once");
    }

    [Test]
    public async Task Rotate_CachedKey_OldSecretRefusedAtOnceNewSecretAccepted()
    {
        var key = await _factory.CreateKeyAsync(["audit:read"]);
        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));

        using var admin = _factory.CreateAdminClient();
        using var rotated = await admin.PostAsync(new Uri($"/api/v1/keys/{key.Id}/rotate", UriKind.Relative), null);
        var body = await rotated.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        var newKey = body.GetProperty("key").GetString()!;

        Assert.Multiple(async () =>
        {
            Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.Unauthorized), "the old secret stops working at once");
            Assert.That(await UseAsync(newKey), Is.EqualTo(HttpStatusCode.OK));
        });
    }
}
