using System.Net;
using System.Net.Http.Json;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>The last key able to administer keys cannot be lost; expiry is enforced on the (fake) clock.</summary>
public class KeyAdministrationGuardTests
{
    private ApiFactory _factory = null!;

    [SetUp]
    public void StartApi() => _factory = new ApiFactory();

    [TearDown]
    public async Task StopApi() => await _factory.DisposeAsync();

    [Test]
    public async Task LastAdmin_RevokeDisableOrDescope_Returns409AndKeyStillWorks()
    {
        using var admin = _factory.CreateAdminClient();
        var id = _factory.AdminKeyId;

        using var revoke = await admin.DeleteAsync($"/api/v1/keys/{id}");
        await revoke.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
        using var disable = await admin.PatchAsJsonAsync($"/api/v1/keys/{id}", new { enabled = false });
        await disable.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
        using var descope = await admin.PatchAsJsonAsync($"/api/v1/keys/{id}", new { scopes = new[] { "containers:read", "audit:read" } });
        await descope.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");

        using var stillWorks = await admin.GetAsync($"/api/v1/keys/{id}");
        Assert.That(stillWorks.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task LastAdmin_OtherAdminDisabled_StillCountsAsLast()
    {
        var other = await _factory.CreateKeyAsync(["keys:admin"]);
        using var admin = _factory.CreateAdminClient();
        using (var disableOther = await admin.PatchAsJsonAsync($"/api/v1/keys/{other.Id}", new { enabled = false }))
        {
            Assert.That(disableOther.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var revoke = await admin.DeleteAsync($"/api/v1/keys/{_factory.AdminKeyId}");

        await revoke.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
    }

    [Test]
    public async Task SecondAdmin_RevokesBootstrapKey_ThenIsItselfProtected()
    {
        var second = await _factory.CreateKeyAsync(["admin"]);
        using var client = _factory.CreateClient(second.Key);

        using var revokeBootstrap = await client.DeleteAsync($"/api/v1/keys/{_factory.AdminKeyId}");
        Assert.That(revokeBootstrap.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var bootstrap = _factory.CreateAdminClient();
        using var bootstrapUse = await bootstrap.GetAsync("/api/v1/keys");
        Assert.That(bootstrapUse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        using var revokeSelf = await client.DeleteAsync($"/api/v1/keys/{second.Id}");
        await revokeSelf.ProblemAsync(HttpStatusCode.Conflict, "last_admin_key");
    }

    [Test]
    public async Task ExpiredKey_AfterClockPassesExpiry_Returns401()
    {
        var expiresAt = _factory.Time.GetUtcNow().AddHours(1);
        var key = await _factory.CreateKeyAsync(["audit:read"], extra: new { expiresAt });
        using var client = _factory.CreateClient(key.Key);
        using (var before = await client.GetAsync("/api/v1/operations?limit=1"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        _factory.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        using var after = await client.GetAsync("/api/v1/operations?limit=1");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Create_ExpiryInThePast_Returns400WithField()
    {
        using var admin = _factory.CreateAdminClient();

        using var response = await admin.PostAsJsonAsync("/api/v1/keys",
            new { name = "late", scopes = new[] { "audit:read" }, expiresAt = _factory.Time.GetUtcNow().AddMinutes(-1) });

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty("expiresAt", out _), Is.True, problem.ToString());
    }
}
