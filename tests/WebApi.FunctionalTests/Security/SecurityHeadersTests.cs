using System.Net;
using System.Net.Http.Json;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Security;

/// <summary>
/// Every response carries <c>X-Content-Type-Options: nosniff</c>, every <c>/api</c> response <c>Cache-Control: no-store</c>
/// (success, the 201 with a plaintext key, and every error); Kestrel sends no <c>Server</c> header; the 401 body has
/// <c>instance</c> and a per-request <c>traceId</c> like every problem.
/// </summary>
// Provider-independent (SQLite only, not in the provider matrix): response headers are set by the HTTP pipeline, whatever
// the database.
public class SecurityHeadersTests
{
    private ApiFactory _factory = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new ApiFactory();
        _factory.Settings["RateLimiting:PermitsPerMinute"] = "100000";
        _admin = _factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    private static void AssertApiHeaders(HttpResponseMessage response, string what)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) ? nosniff : [], Is.EqualTo(new[] { "nosniff" }), what);
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, what + ": Cache-Control " + response.Headers.CacheControl);
        });
    }

    [Test]
    public async Task ApiResponses_OfEveryKind_CarryNoSniffAndNoStore()
    {
        var reader = await _factory.CreateKeyAsync(["containers:read"]);
        using var readerClient = _factory.CreateClient(reader.Key);
        using var anonymous = _factory.CreateClient(apiKey: null);

        using var ok = await _admin.GetAsync("/api/v1/keys");
        using var created = await _admin.PostAsJsonAsync("/api/v1/keys", new { name = "plaintext", scopes = new[] { "containers:read" } });
        using var invalid = await _admin.PostAsJsonAsync("/api/v1/keys", new { name = "", scopes = new[] { "nope" } });
        using var unauthenticated = await anonymous.GetAsync("/api/v1/keys");
        using var forbidden = await readerClient.GetAsync("/api/v1/keys");
        using var notFound = await _admin.GetAsync("/api/v1/keys/nosuchkey001");
        using var noRoute = await _admin.GetAsync("/api/v1/no-such-route");
        using var wrongMethod = await _admin.PutAsJsonAsync("/api/v1/keys", new { });

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unauthenticated.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(notFound.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(noRoute.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(wrongMethod.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        });
        AssertApiHeaders(ok, "200");
        AssertApiHeaders(created, "201 with a plaintext key");
        AssertApiHeaders(invalid, "400");
        AssertApiHeaders(unauthenticated, "401");
        AssertApiHeaders(forbidden, "403");
        AssertApiHeaders(notFound, "404");
        AssertApiHeaders(noRoute, "404 without a route");
        AssertApiHeaders(wrongMethod, "405");
    }

    [Test]
    public async Task RateLimited_429_CarriesNoSniffAndNoStore()
    {
        await using var factory = new ApiFactory();
        factory.Settings["RateLimiting:PermitsPerMinute"] = "1";
        using var client = factory.CreateAdminClient();
        using (var first = await client.GetAsync("/api/v1/keys"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var limited = await client.GetAsync("/api/v1/keys");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        AssertApiHeaders(limited, "429");
    }

    [Test]
    public async Task NonApiResponse_CarriesNoSniff()
    {
        using var response = await _admin.GetAsync("/health/live");

        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
    }

    [Test]
    public async Task Kestrel_SendsNoServerHeader()
    {
        await using var factory = new ApiFactory();
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient(apiKey: null);

        using var response = await client.GetAsync("/health/live");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Server, Is.Empty, "Server: " + response.Headers.Server);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        });
    }

    [Test]
    public async Task Unauthenticated_Body_HasInstanceAndAPerRequestTraceId()
    {
        using var anonymous = _factory.CreateClient(apiKey: null);

        using var first = await anonymous.GetAsync("/api/v1/keys");
        using var second = await anonymous.GetAsync("/api/v1/keys");

        var one = await first.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var two = await second.ProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Multiple(() =>
        {
            Assert.That(one.GetProperty("instance").GetString(), Is.EqualTo("/api/v1/keys"));
            Assert.That(one.GetProperty("traceId").GetString(), Is.EqualTo(first.Headers.GetValues("X-Request-Id").Single()));
            Assert.That(two.GetProperty("traceId").GetString(), Is.Not.EqualTo(one.GetProperty("traceId").GetString()));
            Assert.That(first.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey"));
        });
    }
}
