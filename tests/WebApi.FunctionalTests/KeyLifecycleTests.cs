using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

public class KeyLifecycleTests : ApiFixture
{
    private async Task<HttpStatusCode> UseAsync(string key)
    {
        using var client = Factory.CreateClient(key);
        using var response = await client.GetAsync("/api/v1/operations?limit=1");
        return response.StatusCode;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Test]
    public async Task Lifecycle_CreateUseDisableEnableRotateRevoke_KeyWorksOnlyWhenActive()
    {
        using var admin = Factory.CreateAdminClient();
        using var created = await admin.PostAsJsonAsync("/api/v1/keys", new { name = "lifecycle", scopes = new[] { "audit:read" } });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await JsonAsync(created);
        var id = body.GetProperty("metadata").GetProperty("id").GetString()!;
        var key = body.GetProperty("key").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(key, Does.Match("^pxl_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$"));
            Assert.That(key, Does.StartWith(body.GetProperty("metadata").GetProperty("prefix").GetString()!));
            Assert.That(created.Headers.Location?.ToString(), Does.EndWith($"/api/v1/keys/{id}"));
        });

        Assert.That(await UseAsync(key), Is.EqualTo(HttpStatusCode.OK), "a new key works");

        using (var disabled = await admin.PatchAsJsonAsync($"/api/v1/keys/{id}", new { enabled = false }))
        {
            Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await JsonAsync(disabled)).GetProperty("enabled").GetBoolean(), Is.False);
        }

        Assert.That(await UseAsync(key), Is.EqualTo(HttpStatusCode.Unauthorized), "a disabled key is refused");

        using (var enabled = await admin.PatchAsJsonAsync($"/api/v1/keys/{id}", new { enabled = true }))
        {
            Assert.That(enabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await UseAsync(key), Is.EqualTo(HttpStatusCode.OK), "a re-enabled key works");

        string rotatedKey;
        using (var rotated = await admin.PostAsync($"/api/v1/keys/{id}/rotate", null))
        {
            Assert.That(rotated.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var rotatedBody = await JsonAsync(rotated);
            rotatedKey = rotatedBody.GetProperty("key").GetString()!;
            Assert.Multiple(() =>
            {
                Assert.That(rotatedKey, Is.Not.EqualTo(key));
                Assert.That(rotatedKey, Does.StartWith($"pxl_{id}_"));
                Assert.That(rotatedBody.GetProperty("metadata").GetProperty("rotatedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
            });
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await UseAsync(key), Is.EqualTo(HttpStatusCode.Unauthorized), "the old secret stops working");
            Assert.That(await UseAsync(rotatedKey), Is.EqualTo(HttpStatusCode.OK), "the new secret works");
        });

        using (var revoked = await admin.DeleteAsync($"/api/v1/keys/{id}"))
        {
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        Assert.That(await UseAsync(rotatedKey), Is.EqualTo(HttpStatusCode.Unauthorized), "a revoked key is refused");

        using var afterRevoke = await admin.GetAsync($"/api/v1/keys/{id}");
        var metadata = await JsonAsync(afterRevoke);
        Assert.Multiple(() =>
        {
            Assert.That(afterRevoke.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the revoked key stays for the audit trail");
            Assert.That(metadata.GetProperty("revokedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
            Assert.That(metadata.GetProperty("enabled").GetBoolean(), Is.False);
        });

        using var reEnable = await admin.PatchAsJsonAsync($"/api/v1/keys/{id}", new { enabled = true });
        await reEnable.ProblemAsync(HttpStatusCode.Conflict, "key_revoked");
        using var reRotate = await admin.PostAsync($"/api/v1/keys/{id}/rotate", null);
        await reRotate.ProblemAsync(HttpStatusCode.Conflict, "key_revoked");
        Assert.That(await UseAsync(rotatedKey), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task List_AfterCreate_ShowsMetadataButNeverTheSecretOrHash()
    {
        var key = await Factory.CreateKeyAsync(["containers:read"], "listed");
        using var admin = Factory.CreateAdminClient();

        using var list = await admin.GetAsync("/api/v1/keys?limit=200");
        var text = await list.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        var item = document.RootElement.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == key.Id);

        Assert.Multiple(() =>
        {
            Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(item.GetProperty("name").GetString(), Is.EqualTo("listed"));
            Assert.That(item.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "containers:read" }));
            Assert.That(item.TryGetProperty("secretHash", out _), Is.False);
            Assert.That(text, Does.Not.Contain(key.Key[^43..]));
            Assert.That(text, Does.Not.Contain(Factory.AdminKey![^43..]));
        });
    }

    [Test]
    public async Task Create_ScopeTheCallerLacks_Returns403NamingTheScope()
    {
        var keysAdmin = await Factory.CreateKeyAsync(["keys:admin"]);
        using var client = Factory.CreateClient(keysAdmin.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name = "escalate", scopes = new[] { "containers:write" } });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("containers:write"));

        using var admin = await client.PostAsJsonAsync("/api/v1/keys", new { name = "escalate", scopes = new[] { "admin" } });
        await admin.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Test]
    public async Task Create_ScopeTheCallerHolds_Returns201()
    {
        var keysAdmin = await Factory.CreateKeyAsync(["keys:admin"]);
        using var client = Factory.CreateClient(keysAdmin.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name = "delegate", scopes = new[] { "keys:admin" } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Update_GrantingScopeTheCallerLacks_Returns403()
    {
        var keysAdmin = await Factory.CreateKeyAsync(["keys:admin"]);
        var target = await Factory.CreateKeyAsync(["containers:read"]);
        using var client = Factory.CreateClient(keysAdmin.Key);

        using var response = await client.PatchAsJsonAsync($"/api/v1/keys/{target.Id}", new { scopes = new[] { "containers:write" } });

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [TestCase("")]
    [TestCase("pve2")]
    [TestCase("pve1,pve2")]
    public async Task Create_RestrictionOutsideTheCallers_Returns403(string nodeList)
    {
        var nodes = nodeList.Length == 0 ? null : nodeList.Split(',');
        var restricted = await Factory.CreateKeyAsync(["admin"], extra: new { allowedNodes = new[] { "pve1" } });
        using var client = Factory.CreateClient(restricted.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name = "wider", scopes = new[] { "containers:read" }, allowedNodes = nodes });

        await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Test]
    public async Task Create_RestrictionWithinTheCallers_Returns201()
    {
        var restricted = await Factory.CreateKeyAsync(["admin"], extra: new { allowedNodes = new[] { "pve1" }, vmidRange = new { min = 100, max = 199 } });
        using var client = Factory.CreateClient(restricted.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/keys",
            new { name = "narrower", scopes = new[] { "containers:read" }, allowedNodes = new[] { "pve1" }, vmidRange = new { min = 150, max = 160 } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var metadata = (await JsonAsync(response)).GetProperty("metadata");
        Assert.That(metadata.GetProperty("vmidRange").GetProperty("min").GetInt32(), Is.EqualTo(150));
    }

    [Test]
    public async Task Keys_WithoutKeysAdmin_Returns403NamingTheScope()
    {
        var reader = await Factory.CreateKeyAsync(["containers:read", "audit:read"]);
        using var client = Factory.CreateClient(reader.Key);

        using var response = await client.GetAsync("/api/v1/keys");

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("keys:admin"));
    }

    [Test]
    public async Task Create_InvalidBodyWithoutScope_Returns403WithoutValidationDetails()
    {
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        using var client = Factory.CreateClient(reader.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name = "", scopes = new[] { "root" } });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Multiple(() =>
        {
            Assert.That(problem.TryGetProperty("errors", out _), Is.False, "authorization runs before validation");
            Assert.That(problem.ToString(), Does.Not.Contain("root"));
        });
    }

    [Test]
    public async Task Get_UnknownKey_Returns404KeyNotFound()
    {
        using var admin = Factory.CreateAdminClient();

        using var response = await admin.GetAsync("/api/v1/keys/doesnotexist");

        await response.ProblemAsync(HttpStatusCode.NotFound, "key_not_found");
    }

    [Test]
    public async Task LastUsedAt_AfterUseAndFlush_IsSet()
    {
        var key = await Factory.CreateKeyAsync(["audit:read"]);
        using var admin = Factory.CreateAdminClient();
        using (var before = await admin.GetAsync($"/api/v1/keys/{key.Id}"))
        {
            Assert.That((await JsonAsync(before)).GetProperty("lastUsedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }

        var usedAround = Factory.Time.GetUtcNow();
        Assert.That(await UseAsync(key.Key), Is.EqualTo(HttpStatusCode.OK));
        await Factory.FlushLastUsedAsync();

        using var after = await admin.GetAsync($"/api/v1/keys/{key.Id}");
        var lastUsed = (await JsonAsync(after)).GetProperty("lastUsedAt").GetDateTimeOffset();
        Assert.That(lastUsed, Is.EqualTo(usedAround).Within(TimeSpan.FromSeconds(30)));
    }
}
