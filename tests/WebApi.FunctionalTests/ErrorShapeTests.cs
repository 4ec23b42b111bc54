using System.Net;
using System.Text;
using System.Text.Json;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests;

/// <summary>Request ids, and problem+json for routing and model-binding errors.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public class ErrorShapeTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public void SetUpFixture()
    {
        _admin = Factory.CreateAdminClient();
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _admin.Dispose();
    }

    private async Task<HttpResponseMessage> PostKeysAsync(string json) =>
        await _admin.PostAsync("/api/v1/keys", new StringContent(json, Encoding.UTF8, "application/json"));

    [Test]
    public async Task RequestId_Given_IsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.Add("X-Request-Id", "client-req_42:a.b");

        using var response = await _admin.SendAsync(request);

        Assert.That(response.Headers.GetValues("X-Request-Id"), Is.EqualTo(new[] { "client-req_42:a.b" }));
    }

    [TestCase("/api/v1/keys")]
    [TestCase("/api/v1/nothing")]
    [TestCase("/health/live")]
    public async Task RequestId_Absent_IsGenerated(string path)
    {
        using var response = await _admin.GetAsync(path);

        Assert.That(response.Headers.TryGetValues("X-Request-Id", out var values), Is.True);
        Assert.That(values!.Single(), Does.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public async Task RequestId_Malformed_IsReplaced()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "bad id with spaces <script>");

        using var response = await _admin.SendAsync(request);

        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Does.Match("^[0-9a-f]{32}$"));
    }

    [Test]
    public async Task RequestId_On401_IsStillSent()
    {
        using var anonymous = Factory.CreateClient(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.Add("X-Request-Id", "unauth-1");

        using var response = await anonymous.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.EqualTo("unauth-1"));
        });
    }

    [Test]
    public async Task UnknownRoute_Returns404ProblemWithTraceIdAndInstance()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing/here");
        request.Headers.Add("X-Request-Id", "route-404");

        using var response = await _admin.SendAsync(request);

        var problem = await response.ProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("instance").GetString(), Is.EqualTo("/api/v1/nothing/here"));
            Assert.That(problem.GetProperty("traceId").GetString(), Is.EqualTo("route-404"));
            Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task WrongMethod_Returns405Problem()
    {
        using var response = await _admin.PutAsync("/api/v1/keys", new StringContent("{}", Encoding.UTF8, "application/json"));

        var problem = await response.ProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("PUT"));
    }

    [Test]
    public async Task UnknownJsonField_Returns400KeyedByTheField()
    {
        using var response = await PostKeysAsync("""{"name":"x","scopes":["containers:read"],"password":"S3cr3t-Value-123"}""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.Multiple(() =>
        {
            Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "password" }), errors.ToString());
            Assert.That(problem.ToString(), Does.Not.Contain("S3cr3t"));
            Assert.That(problem.ToString(), Does.Not.Contain("ProxmoxLxc."));
        });
    }

    [Test]
    public async Task MalformedJson_Returns400WithoutParserInternals()
    {
        using var response = await PostKeysAsync("""{"name":"x", """);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var text = problem.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("errors").EnumerateObject().Count(), Is.GreaterThan(0), text);
            Assert.That(text, Does.Not.Contain("System."));
            Assert.That(text, Does.Not.Contain("ProxmoxLxc."));
        });
    }

    [Test]
    public async Task WrongJsonType_Returns400KeyedByTheNestedField()
    {
        using var response = await PostKeysAsync("""{"name":"x","scopes":["containers:read"],"vmidRange":{"min":"low","max":200}}""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "vmidRange.min" }),
            problem.ToString());
    }

    [Test]
    public async Task EmptyBody_Returns400()
    {
        using var response = await PostKeysAsync("");

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task PipelineValidation_Returns400KeyedByJsonPath()
    {
        using var response = await PostKeysAsync("""{"name":"","scopes":["containers:read","root"],"vmidRange":{"min":300,"max":200}}""");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(fields, Is.SupersetOf(new[] { "name", "scopes", "vmidRange.max" }), problem.ToString());
    }

    [Test]
    public async Task BadQueryParameter_Returns400KeyedByTheParameter()
    {
        using var response = await _admin.GetAsync("/api/v1/operations?limit=abc");

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "limit" }), problem.ToString());
    }

    [Test]
    public async Task Swagger_Document_IsServed()
    {
        using var response = await _admin.GetAsync("/swagger/v1/swagger.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(document.RootElement.GetProperty("paths").TryGetProperty("/api/v1/keys", out _), Is.True);
    }
}
