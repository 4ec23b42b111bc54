using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Security;

/// <summary>
/// Every key-management verb × a target key that is weaker, equal, stronger or wider-restricted than the caller.
/// A key manages only keys that hold no more than it does; any other key answers 403 <c>insufficient_scope</c>,
/// is left untouched and no plaintext appears in the answer; <c>GET /keys</c> lists only the keys the caller may manage.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class KeyManagementMatrixTests(DatabaseProvider provider)
{
    private ApiFactory _factory = null!;
    private HttpClient _admin = null!;

    public enum Verb
    {
        Get,
        Patch,
        Disable,
        Rotate,
        Revoke,
        List,
    }

    /// <summary>Scopes and restriction of a key, as sent to <c>POST /keys</c>.</summary>
    public sealed record Grant(string[] Scopes, string[]? Pools = null, string[]? Nodes = null, int[]? Range = null)
    {
        public object Body(string name) => new Dictionary<string, object?>
        {
            ["name"] = name,
            ["scopes"] = Scopes,
            ["allowedPools"] = Pools,
            ["allowedNodes"] = Nodes,
            ["vmidRange"] = Range is null ? null : new { min = Range[0], max = Range[1] },
        };
    }

    private static readonly Grant KeysAdmin = new(["keys:admin", "containers:read"]);
    private static readonly Grant WebKeysAdmin = new(["keys:admin", "containers:read"], Pools: ["web"], Range: [100, 199]);

    /// <summary>(caller, target kind, target, may the caller manage it).</summary>
    private static readonly (string Caller, Grant CallerGrant, string Target, Grant TargetGrant, bool Manageable)[] Pairs =
    [
        ("keysAdmin", KeysAdmin, "weaker", new(["containers:read"]), true),
        ("keysAdmin", KeysAdmin, "weaker-restricted", new(["containers:read"], Pools: ["db"]), true),
        ("keysAdmin", KeysAdmin, "equal", new(["containers:read", "keys:admin"]), true),
        ("keysAdmin", KeysAdmin, "stronger-admin", new(["admin"]), false),
        ("keysAdmin", KeysAdmin, "stronger-scope", new(["keys:admin", "containers:read", "containers:write"]), false),
        ("webKeysAdmin", WebKeysAdmin, "weaker", new(["containers:read"], Pools: ["web"], Range: [100, 150]), true),
        ("webKeysAdmin", WebKeysAdmin, "weaker-narrower-nodes", new(["containers:read"], Pools: ["web"], Nodes: ["pve1"], Range: [100, 199]), true),
        ("webKeysAdmin", WebKeysAdmin, "equal", new(["keys:admin", "containers:read"], Pools: ["web"], Range: [100, 199]), true),
        ("webKeysAdmin", WebKeysAdmin, "stronger", new(["admin"], Pools: ["web"], Range: [100, 199]), false),
        ("webKeysAdmin", WebKeysAdmin, "wider-unrestricted", new(["containers:read"]), false),
        ("webKeysAdmin", WebKeysAdmin, "wider-pools", new(["containers:read"], Pools: ["web", "db"], Range: [100, 199]), false),
        ("webKeysAdmin", WebKeysAdmin, "wider-range", new(["containers:read"], Pools: ["web"], Range: [100, 299]), false),
        ("webKeysAdmin", WebKeysAdmin, "wider-no-range", new(["containers:read"], Pools: ["web"]), false),
        ("webKeysAdmin", WebKeysAdmin, "other-pool", new(["containers:read"], Pools: ["db"], Range: [100, 199]), false),
    ];

    public static IEnumerable<TestCaseData> Cases() =>
        from pair in Pairs
        from verb in Enum.GetValues<Verb>()
        select new TestCaseData(pair.Caller, pair.Target, verb).SetName($"Manage_{verb}_{pair.Caller}_{pair.Target}");

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        _factory.Settings["RateLimiting:PermitsPerMinute"] = "0";
        _admin = _factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Manage_TargetVersusCaller_AllowedOnlyWhenTheCallerHoldsAtLeastAsMuch(string callerName, string targetName, Verb verb)
    {
        var pair = Pairs.Single(p => p.Caller == callerName && p.Target == targetName);
        var caller = await CreateAsync(pair.CallerGrant, callerName);
        var target = await CreateAsync(pair.TargetGrant, targetName);
        var before = await ReadAsAdminAsync(target.Id);
        using var client = _factory.CreateClient(caller.Key);

        if (verb == Verb.List)
        {
            var listed = await ListAllAsync(client);
            Assert.Multiple(() =>
            {
                Assert.That(listed, pair.Manageable ? Does.Contain(target.Id) : Does.Not.Contain(target.Id));
                Assert.That(listed, Does.Contain(caller.Id), "a key manages itself");
                Assert.That(listed, Does.Not.Contain(_factory.AdminKeyId), "the bootstrap admin key holds more than the caller");
            });
            return;
        }

        using var response = await SendAsync(client, verb, target.Id);
        var text = await response.Content.ReadAsStringAsync();
        if (!pair.Manageable)
        {
            var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
            Assert.Multiple(() =>
            {
                Assert.That(problem.TryGetProperty("key", out _), Is.False, text);
                Assert.That(text, Does.Not.Contain("pxl_"), "no plaintext key in a refusal");
            });
            var after = await ReadAsAdminAsync(target.Id);
            Assert.That(after.ToJsonString(), Is.EqualTo(before.ToJsonString()), "the target is untouched");
            Assert.That(await AuthenticatesAsync(target.Key), Is.True, "the target's secret still works");
            return;
        }

        await AssertManagedAsync(verb, response, text, target);
    }

    [Test]
    public async Task Patch_ManageableTargetRaisedAboveTheCaller_Returns403NamingTheScopeAndLeavesTheTarget()
    {
        var caller = await CreateAsync(KeysAdmin, "raiser");
        var target = await CreateAsync(new(["containers:read"]), "raised");
        var before = await ReadAsAdminAsync(target.Id);
        using var client = _factory.CreateClient(caller.Key);

        using var response = await client.PatchAsJsonAsync($"/api/v1/keys/{target.Id}", new { scopes = new[] { "containers:read", "containers:write" } });

        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("containers:write"));
        Assert.That((await ReadAsAdminAsync(target.Id)).ToJsonString(), Is.EqualTo(before.ToJsonString()));
    }

    private async Task AssertManagedAsync(Verb verb, HttpResponseMessage response, string text, TestKey target)
    {
        var after = await ReadAsAdminAsync(target.Id);
        switch (verb)
        {
            case Verb.Get:
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
                Assert.That(JsonNode.Parse(text)!["id"]!.GetValue<string>(), Is.EqualTo(target.Id));
                break;
            case Verb.Patch:
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
                Assert.That(after["name"]!.GetValue<string>(), Is.EqualTo("renamed"));
                break;
            case Verb.Disable:
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
                Assert.That(after["enabled"]!.GetValue<bool>(), Is.False);
                Assert.That(await AuthenticatesAsync(target.Key), Is.False);
                break;
            case Verb.Rotate:
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
                Assert.That(await AuthenticatesAsync(target.Key), Is.False, "the old secret stops working");
                Assert.That(await AuthenticatesAsync(JsonNode.Parse(text)!["key"]!.GetValue<string>()), Is.True);
                break;
            case Verb.Revoke:
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), text);
                Assert.That(after["revokedAt"], Is.Not.Null);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(verb), verb, null);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, Verb verb, string id) => verb switch
    {
        Verb.Get => await client.GetAsync($"/api/v1/keys/{id}"),
        Verb.Patch => await client.PatchAsJsonAsync($"/api/v1/keys/{id}",
            new { name = "renamed", expiresAt = _factory.Time.GetUtcNow().AddDays(30) }),
        Verb.Disable => await client.PatchAsJsonAsync($"/api/v1/keys/{id}", new { enabled = false }),
        Verb.Rotate => await client.PostAsync($"/api/v1/keys/{id}/rotate", null),
        Verb.Revoke => await client.DeleteAsync($"/api/v1/keys/{id}"),
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, null),
    };

    private async Task<TestKey> CreateAsync(Grant grant, string name)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/keys", grant.Body(name));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var created = JsonNode.Parse(text)!;
        return new TestKey(created["metadata"]!["id"]!.GetValue<string>(), created["key"]!.GetValue<string>());
    }

    /// <summary>The key's metadata as the bootstrap admin sees it, without the last-use time (touched by use).</summary>
    private async Task<JsonObject> ReadAsAdminAsync(string id)
    {
        using var response = await _admin.GetAsync($"/api/v1/keys/{id}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var metadata = JsonNode.Parse(text)!.AsObject();
        metadata.Remove("lastUsedAt");
        return metadata;
    }

    private static async Task<List<string>> ListAllAsync(HttpClient client)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await client.GetAsync("/api/v1/keys?limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            using var page = JsonDocument.Parse(text);
            ids.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()!));
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return ids;
    }

    /// <summary>True when the key is accepted (any answer but 401).</summary>
    private async Task<bool> AuthenticatesAsync(string key)
    {
        using var client = _factory.CreateClient(key);
        using var response = await client.GetAsync("/api/v1/keys/none");
        return response.StatusCode != HttpStatusCode.Unauthorized;
    }
}
