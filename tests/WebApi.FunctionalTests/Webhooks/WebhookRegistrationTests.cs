using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Webhooks;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Registration rules with no host allowed besides public ones: the SSRF refusals per address class (at registration
/// and, for an address that changed since, at connection time), input validation, and who may see a webhook.
/// </summary>
public sealed class WebhookRegistrationTests : ApiFixture
{
    private HttpClient _admin = null!;

    protected override ApiFactory CreateFactory()
    {
        var factory = base.CreateFactory();
        factory.Settings["Webhooks:AllowedHosts"] = string.Empty;
        return factory;
    }

    [OneTimeSetUp]
    public void CreateClient() => _admin = Factory.CreateAdminClient();

    [OneTimeTearDown]
    public void DisposeClient() => _admin.Dispose();

    [TestCase("http://example.com/hook", TestName = "Create_PlainHttp_Refused")]
    [TestCase("https://10.1.2.3/hook", TestName = "Create_Private10_Refused")]
    [TestCase("https://172.16.5.4/hook", TestName = "Create_Private172_Refused")]
    [TestCase("https://192.168.1.10/hook", TestName = "Create_Private192_Refused")]
    [TestCase("https://100.64.0.1/hook", TestName = "Create_SharedCgnat_Refused")]
    [TestCase("https://127.0.0.1/hook", TestName = "Create_Loopback_Refused")]
    [TestCase("https://localhost/hook", TestName = "Create_NameResolvingToLoopback_Refused")]
    [TestCase("https://169.254.169.254/latest/meta-data", TestName = "Create_LinkLocalMetadata_Refused")]
    [TestCase("https://0.0.0.0/hook", TestName = "Create_Unspecified_Refused")]
    [TestCase("https://224.0.0.1/hook", TestName = "Create_Multicast_Refused")]
    [TestCase("https://[::1]/hook", TestName = "Create_Ipv6Loopback_Refused")]
    [TestCase("https://[::]/hook", TestName = "Create_Ipv6Unspecified_Refused")]
    [TestCase("https://[fc00::1]/hook", TestName = "Create_Ipv6UniqueLocal_Refused")]
    [TestCase("https://[fd12:3456::1]/hook", TestName = "Create_Ipv6UniqueLocalFd_Refused")]
    [TestCase("https://[fe80::1]/hook", TestName = "Create_Ipv6LinkLocal_Refused")]
    [TestCase("https://[ff02::1]/hook", TestName = "Create_Ipv6Multicast_Refused")]
    [TestCase("https://[::ffff:10.0.0.1]/hook", TestName = "Create_Ipv4MappedPrivate_Refused")]
    [TestCase("https://[::ffff:127.0.0.1]/hook", TestName = "Create_Ipv4MappedLoopback_Refused")]
    [TestCase("https://[::ffff:169.254.169.254]/hook", TestName = "Create_Ipv4MappedMetadata_Refused")]
    public async Task Create_ForbiddenTarget_400WebhookUrlRefused(string url)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/webhooks", new { url, events = new[] { "operation.failed" } });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "webhook_url_refused");
        Assert.That(problem.GetProperty("errors").GetProperty("url")[0].GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Patch_ToForbiddenTarget_400AndUrlUnchanged()
    {
        var id = await InsertWebhookAsync("https://203.0.113.7/hook");
        using var response = await _admin.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { url = "https://10.0.0.8/hook" });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "webhook_url_refused");
        Assert.That((await _admin.GetJsonAsync($"/api/v1/webhooks/{id}")).Str("url"), Is.EqualTo("https://203.0.113.7/hook"));
    }

    [Test]
    public async Task Delivery_AddressRefusedAtConnectTime_NothingSentAndErrorRecorded()
    {
        // Registered while its name resolved to a public address (DNS rebinding): the URL now points at loopback.
        await using var receiver = await WebhookReceiver.StartAsync();
        var target = new UriBuilder(receiver.BaseUrl) { Scheme = "https", Path = "hook" }.Uri;
        var id = await InsertWebhookAsync(target.ToString());
        var queued = await _admin.SendTestAsync(id);
        var failed = await _admin.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Str("status"), Is.EqualTo("pending"));
            Assert.That(failed.Str("error"), Does.Contain("loopback"));
            Assert.That(receiver.Received, Is.Empty, "no connection reached the receiver");
        });
    }

    [TestCase("""{ "url": "https://203.0.113.7/x", "events": [] }""", "events", TestName = "Create_NoEvents_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["operation.exploded"] }""", "events", TestName = "Create_UnknownEvent_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["webhook.test"] }""", "events", TestName = "Create_TestEventNotSubscribable_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["operation.failed", "operation.failed"] }""", "events", TestName = "Create_DuplicateEvent_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["operation.failed"], "secret": "plain" }""", "secret", TestName = "Create_SecretWithoutPrefix_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["operation.failed"], "secret": "whsec_AAECAwQFBgcICQoLDA0ODw==" }""", "secret", TestName = "Create_SecretOf16Bytes_400")]
    [TestCase("""{ "url": "https://203.0.113.7/x", "events": ["operation.failed"], "secret": "whsec_not base64!" }""", "secret", TestName = "Create_SecretNotBase64_400")]
    [TestCase("""{ "url": "ftp://203.0.113.7/x", "events": ["operation.failed"] }""", "url", TestName = "Create_FtpUrl_400")]
    [TestCase("""{ "url": "https://user:pw@203.0.113.7/x", "events": ["operation.failed"] }""", "url", TestName = "Create_UrlWithCredentials_400")]
    [TestCase("""{ "url": "/relative", "events": ["operation.failed"] }""", "url", TestName = "Create_RelativeUrl_400")]
    public async Task Create_InvalidBody_400ValidationFailed(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PostAsync("/api/v1/webhooks", content);
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.GetRawText());
    }

    [Test]
    public async Task Webhook_OfAnotherKey_404ForPeersVisibleToItsManager()
    {
        var alice = await Factory.CreateKeyAsync(["webhooks:admin"]);
        var bob = await Factory.CreateKeyAsync(["webhooks:admin"]);
        using var aliceClient = Factory.CreateClient(alice.Key);
        using var bobClient = Factory.CreateClient(bob.Key);
        var id = await InsertWebhookAsync("https://203.0.113.9/alice", alice.Id);

        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/api/v1/webhooks/{id}"), (HttpMethod.Delete, $"/api/v1/webhooks/{id}"),
                     (HttpMethod.Post, $"/api/v1/webhooks/{id}/test"), (HttpMethod.Get, $"/api/v1/webhooks/{id}/deliveries") })
        {
            using var response = await bobClient.SendAsync(new HttpRequestMessage(method, path));
            await response.ProblemAsync(HttpStatusCode.NotFound, "webhook_not_found");
        }

        var bobList = await bobClient.GetJsonAsync("/api/v1/webhooks");
        var aliceList = await aliceClient.GetJsonAsync("/api/v1/webhooks");
        var adminList = await _admin.GetJsonAsync("/api/v1/webhooks?limit=200");
        Assert.Multiple(() =>
        {
            Assert.That(bobList.GetProperty("items").EnumerateArray().Select(w => w.Str("id")), Does.Not.Contain(id));
            Assert.That(aliceList.GetProperty("items").EnumerateArray().Select(w => w.Str("id")), Is.EqualTo(new[] { id }));
            Assert.That(adminList.GetProperty("items").EnumerateArray().Select(w => w.Str("id")), Does.Contain(id), "the admin manages alice's key");
        });
        using var adminGet = await _admin.GetAsync($"/api/v1/webhooks/{id}");
        Assert.That(adminGet.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var delete = await aliceClient.DeleteAsync($"/api/v1/webhooks/{id}");
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var gone = await aliceClient.GetAsync($"/api/v1/webhooks/{id}");
        await gone.ProblemAsync(HttpStatusCode.NotFound, "webhook_not_found");
    }

    [Test]
    public async Task CreateKey_GrantingWebhooksAdminWithoutHoldingIt_403()
    {
        var keyAdmin = await Factory.CreateKeyAsync(["keys:admin"]);
        using var client = Factory.CreateClient(keyAdmin.Key);
        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name = "hooks", scopes = new[] { "webhooks:admin" } });
        var problem = await response.ProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.That(problem.GetProperty("requiredScope").GetString(), Is.EqualTo("webhooks:admin"));
    }

    /// <summary>A webhook row written directly (as if registered while its host resolved elsewhere), owned by <paramref name="ownerKeyId"/> (default: the admin key).</summary>
    private async Task<string> InsertWebhookAsync(string url, string? ownerKeyId = null)
    {
        var id = "wh" + Guid.NewGuid().ToString("N")[..14];
        var protector = Factory.Services.GetRequiredService<IWebhookSecretProtector>();
        // As registration does (the same event log's latest id): the webhook starts after the latest event. (From 0 it
        // would owe every earlier operation.failed event, delivered in order before anything queued later — a refused
        // address never gets past the first of them.)
        var latestEventId = await Factory.Services.GetRequiredService<IEventLog>().LatestIdAsync(CancellationToken.None);
        await using var db = Factory.NewDbContext();
        db.Webhooks.Add(Webhook.Register(id, ownerKeyId ?? Factory.AdminKeyId, url, ["operation.failed"],
            protector.Protect(id, new byte[32]), enabled: true, latestEventId, Factory.Time.GetUtcNow()));
        await db.SaveChangesAsync();
        return id;
    }
}
