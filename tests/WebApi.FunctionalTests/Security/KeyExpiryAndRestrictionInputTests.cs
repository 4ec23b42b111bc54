using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Security;

/// <summary>
/// The last key able to administer keys cannot be given an expiry; <c>expiresAt: null</c> clears an expiry
/// (absent leaves it); <c>allowedNodes</c>/<c>allowedPools</c> hold at most 64 distinct valid names.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class KeyExpiryAndRestrictionInputTests(DatabaseProvider provider)
{
    private ApiFactory _factory = null!;
    private HttpClient _admin = null!;

    [SetUp]
    public void StartApi()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        _admin = _factory.CreateAdminClient();
    }

    [TearDown]
    public async Task StopApi()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<JsonElement> ReadKeyAsync(string id)
    {
        using var response = await _admin.GetAsync($"/api/v1/keys/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<HttpResponseMessage> PatchRawAsync(string id, string json) =>
        await _admin.PatchAsync($"/api/v1/keys/{id}", new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task LastAdmin_GivenAnExpiry_Returns409AndKeepsNoExpiry()
    {
        using var response = await _admin.PatchAsJsonAsync($"/api/v1/keys/{_factory.AdminKeyId}",
            new { expiresAt = _factory.Time.GetUtcNow().AddDays(1) });

        await response.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
        Assert.That((await ReadKeyAsync(_factory.AdminKeyId)).GetProperty("expiresAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task LastNonExpiringAdmin_OtherAdminExpires_ExpiryOrRevokeReturns409()
    {
        var expiring = await _factory.CreateKeyAsync(["admin"], extra: new { expiresAt = _factory.Time.GetUtcNow().AddDays(2) });

        using var expire = await _admin.PatchAsJsonAsync($"/api/v1/keys/{_factory.AdminKeyId}", new { expiresAt = _factory.Time.GetUtcNow().AddDays(1) });
        using var revoke = await _admin.DeleteAsync($"/api/v1/keys/{_factory.AdminKeyId}");

        await expire.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
        await revoke.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
        using var revokeExpiring = await _admin.DeleteAsync($"/api/v1/keys/{expiring.Id}");
        Assert.That(revokeExpiring.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "the expiring admin key is not the one that keeps administration alive");
    }

    [Test]
    public async Task Admin_WithAnotherNonExpiringAdmin_CanBeGivenAnExpiry()
    {
        await _factory.CreateKeyAsync(["admin"]);
        var expiresAt = _factory.Time.GetUtcNow().AddDays(1);

        using var response = await _admin.PatchAsJsonAsync($"/api/v1/keys/{_factory.AdminKeyId}", new { expiresAt });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That((await ReadKeyAsync(_factory.AdminKeyId)).GetProperty("expiresAt").GetDateTimeOffset(), Is.EqualTo(expiresAt).Within(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task Patch_ExpiresAtNull_ClearsTheExpiry_AbsentLeavesIt()
    {
        var key = await _factory.CreateKeyAsync(["containers:read"], extra: new { expiresAt = _factory.Time.GetUtcNow().AddDays(1) });

        using (var rename = await PatchRawAsync(key.Id, """{"name":"renamed"}"""))
        {
            Assert.That(rename.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rename.Content.ReadAsStringAsync());
        }

        Assert.That((await ReadKeyAsync(key.Id)).GetProperty("expiresAt").ValueKind, Is.EqualTo(JsonValueKind.String), "absent leaves the expiry");

        using var clear = await PatchRawAsync(key.Id, """{"expiresAt":null}""");

        Assert.That(clear.StatusCode, Is.EqualTo(HttpStatusCode.OK), await clear.Content.ReadAsStringAsync());
        var after = await ReadKeyAsync(key.Id);
        Assert.Multiple(() =>
        {
            Assert.That(after.GetProperty("expiresAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(after.GetProperty("name").GetString(), Is.EqualTo("renamed"));
        });
    }

    [Test]
    public async Task Patch_EmptyBody_StillReturns400()
    {
        var key = await _factory.CreateKeyAsync(["containers:read"]);

        using var response = await PatchRawAsync(key.Id, "{}");

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    private static string[] Names(int count, string prefix) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i}")];

    [TestCase("allowedNodes", 65)]
    [TestCase("allowedPools", 65)]
    [TestCase("allowedNodes", 100_000)]
    public async Task Create_MoreThan64Names_Returns400KeyedByTheField(string field, int count)
    {
        var body = new Dictionary<string, object> { ["name"] = "many", ["scopes"] = new[] { "containers:read" }, [field] = Names(count, "n") };

        using var response = await _admin.PostAsJsonAsync("/api/v1/keys", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(errors, Is.EqualTo(new[] { field }), problem.ToString());
    }

    [TestCase("allowedNodes")]
    [TestCase("allowedPools")]
    public async Task Create_RepeatedName_Returns400KeyedByTheField(string field)
    {
        var body = new Dictionary<string, object> { ["name"] = "twice", ["scopes"] = new[] { "containers:read" }, [field] = new[] { "pve1", "pve1" } };

        using var response = await _admin.PostAsJsonAsync("/api/v1/keys", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [TestCase("allowedNodes", "pve 1")]
    [TestCase("allowedNodes", "pve1,pve2")]
    [TestCase("allowedNodes", "-pve")]
    [TestCase("allowedPools", "dev\npool")]
    [TestCase("allowedPools", "dev,ops")]
    [TestCase("allowedPools", "")]
    public async Task Create_InvalidName_Returns400WithTheElementPath(string field, string name)
    {
        var body = new Dictionary<string, object> { ["name"] = "bad", ["scopes"] = new[] { "containers:read" }, [field] = new[] { "ok1", name } };

        using var response = await _admin.PostAsJsonAsync("/api/v1/keys", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field + "[1]", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Create_64DistinctValidNames_Returns201()
    {
        var body = new { name = "wide", scopes = new[] { "containers:read" }, allowedNodes = Names(64, "pve"), allowedPools = Names(64, "pool_") };

        using var response = await _admin.PostAsJsonAsync("/api/v1/keys", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }
}
