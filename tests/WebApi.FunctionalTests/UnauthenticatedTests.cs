using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>Every kind of bad key gets the same 401 (apart from the per-request trace ids): no oracle.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class UnauthenticatedTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private readonly Dictionary<string, string?> _keys = [];

    [OneTimeSetUp]
    public async Task SetUpFixtureAsync()
    {
        var disabled = await Factory.CreateKeyAsync(["admin"]);
        var revoked = await Factory.CreateKeyAsync(["admin"]);
        var expiring = await Factory.CreateKeyAsync(["admin"], extra: new { expiresAt = Factory.Time.GetUtcNow().AddMinutes(5) });
        var rotated = await Factory.CreateKeyAsync(["admin"]);
        using var admin = Factory.CreateAdminClient();
        (await admin.PatchAsJsonAsync($"/api/v1/keys/{disabled.Id}", new { enabled = false })).EnsureSuccessStatusCode();
        (await admin.DeleteAsync($"/api/v1/keys/{revoked.Id}")).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/v1/keys/{rotated.Id}/rotate", null)).EnsureSuccessStatusCode();
        Factory.Time.Advance(TimeSpan.FromMinutes(10));

        var valid = Factory.AdminKey!;
        _keys["missing"] = null;
        _keys["empty"] = "";
        _keys["malformed"] = "not-a-key";
        _keys["bearer-style"] = "Bearer " + valid;
        _keys["unknown"] = ApiFactory.NewKeyString();
        _keys["wrong-secret"] = $"pxl_{Factory.AdminKeyId}_{ApiFactory.NewKeyString()[^43..]}";
        _keys["disabled"] = disabled.Key;
        _keys["revoked"] = revoked.Key;
        _keys["expired"] = expiring.Key;
        _keys["rotated-away"] = rotated.Key;
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string? key, string path = "/api/v1/keys")
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(ApiFactory.KeyHeader, key);
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Test]
    public async Task AnyBadKey_Returns401WithChallengeAndTheSameBytes()
    {
        var (reference, referenceBody) = await GetAsync(null);
        using (reference)
        {
            await reference.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }

        foreach (var (kind, key) in _keys)
        {
            var (response, body) = await GetAsync(key);
            using (response)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), kind);
                    Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey"), kind);
                    Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), kind);
                    Assert.That(WithoutPerRequestValues(body), Is.EqualTo(WithoutPerRequestValues(referenceBody)), kind);
                });
            }
        }
    }

    /// <summary>The body without the values that vary per request, not per cause.</summary>
    private static string WithoutPerRequestValues(byte[] body)
    {
        var problem = JsonNode.Parse(body)!.AsObject();
        problem.Remove("traceId");
        problem.Remove("activityId");
        return problem.ToJsonString();
    }

    [Test]
    public async Task TwoKeyHeaders_Returns401()
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.TryAddWithoutValidation(ApiFactory.KeyHeader, new[] { Factory.AdminKey!, Factory.AdminKey! });

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task BadKey_OnUnknownRoute_Returns401NotA404()
    {
        var (response, _) = await GetAsync(_keys["unknown"], "/api/v1/no-such-thing");
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
    }

    [Test]
    public async Task HealthLive_WithoutKey_Returns200()
    {
        var (response, _) = await GetAsync(null, "/health/live");
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }
}
