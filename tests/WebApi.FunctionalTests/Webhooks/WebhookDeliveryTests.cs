using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Delivery through real HTTP to a loopback receiver (listed in <c>Webhooks:AllowedHosts</c>): Standard Webhooks
/// signatures checked by an independent implementation, retries with the same <c>webhook-id</c>, order per endpoint,
/// 410, three days of failures, redirects, the secret's exposure. Retry times are reached by advancing the service's
/// clock; the receiver answers by a script (by count).
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class WebhookDeliveryTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PastAnyBackoff = TimeSpan.FromHours(2);

    private WebhookReceiver _receiver = null!;
    private HttpClient _client = null!;

    protected override ApiFactory CreateFactory()
    {
        var factory = base.CreateFactory();
        factory.Settings["Webhooks:Timeout"] = "00:00:01";
        factory.Settings["RateLimiting:PermitsPerMinute"] = "0";
        return factory;
    }

    [SetUp]
    public async Task StartReceiver()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _client = Factory.CreateAdminClient();
    }

    [TearDown]
    public async Task StopReceiver()
    {
        await _client.DeleteAllWebhooksAsync();
        _client.Dispose();
        await _receiver.DisposeAsync();
    }

    [Test]
    public async Task Test_SignedMessage_VerifiesWithIndependentImplementationOfTheSpec()
    {
        var (id, secret) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var queued = await _client.SendTestAsync(id);

        var received = (await _receiver.WaitForAsync(1)).Single();
        var delivery = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "succeeded");
        using var body = JsonDocument.Parse(received.Body);
        Assert.Multiple(() =>
        {
            Assert.That(received.ContentType, Does.StartWith("application/json"));
            Assert.That(received.Headers["webhook-id"], Is.EqualTo(queued.Str("messageId")));
            Assert.That(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"],
                received.Headers["webhook-signature"], received.Body, Factory.Time.GetUtcNow(), Tolerance), Is.True, "signature");
            Assert.That(StandardWebhooksVerifier.Verify(secret, received.Headers["webhook-id"], received.Headers["webhook-timestamp"],
                received.Headers["webhook-signature"], received.Body + " ", Factory.Time.GetUtcNow(), Tolerance), Is.False, "a changed body fails");
            Assert.That(body.RootElement.Str("type"), Is.EqualTo("webhook.test"));
            Assert.That(body.RootElement.GetProperty("timestamp").GetDateTimeOffset(), Is.EqualTo(Factory.Time.GetUtcNow()).Within(Tolerance));
            Assert.That(body.RootElement.GetProperty("data").Str("webhookId"), Is.EqualTo(id));
            Assert.That(delivery.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(delivery.GetProperty("responseStatus").GetInt32(), Is.EqualTo(200));
        });
    }

    [Test]
    public async Task Delivery_After500_RetriedLaterWithSameWebhookIdAndBody()
    {
        _receiver.Script(new ReceiverStep(500));
        var (id, secret) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var queued = await _client.SendTestAsync(id);
        await _receiver.WaitForAsync(1);
        var failed = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Str("status"), Is.EqualTo("pending"));
            Assert.That(failed.GetProperty("responseStatus").GetInt32(), Is.EqualTo(500));
            Assert.That(failed.Str("error"), Does.Contain("500"));
            Assert.That(failed.GetProperty("nextAttemptAt").GetDateTimeOffset(), Is.GreaterThan(failed.GetProperty("lastAttemptAt").GetDateTimeOffset()));
        });

        Factory.Time.Advance(PastAnyBackoff);
        var both = await _receiver.WaitForAsync(2);
        var delivered = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(both[1].Headers["webhook-id"], Is.EqualTo(both[0].Headers["webhook-id"]));
            Assert.That(both[1].Body, Is.EqualTo(both[0].Body));
            Assert.That(long.Parse(both[1].Headers["webhook-timestamp"]), Is.GreaterThan(long.Parse(both[0].Headers["webhook-timestamp"])),
                "each attempt carries its own timestamp");
            Assert.That(both.All(r => StandardWebhooksVerifier.Verify(secret, r.Headers["webhook-id"], r.Headers["webhook-timestamp"],
                r.Headers["webhook-signature"], r.Body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(r.Headers["webhook-timestamp"])), Tolerance)), Is.True);
            Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Delivery_AfterTimeout_RetriedWithSameWebhookId()
    {
        // The fixture's timeout is 1 s; the first answer comes after 5 s.
        _receiver.Script(new ReceiverStep(200, TimeSpan.FromSeconds(5)));
        var (id, _) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var queued = await _client.SendTestAsync(id);
        var failed = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Str("status"), Is.EqualTo("pending"));
            Assert.That(failed.GetProperty("responseStatus").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(failed.Str("error"), Does.Contain("No answer within 1 s"));
        });

        Factory.Time.Advance(PastAnyBackoff);
        var both = await _receiver.WaitForAsync(2);
        var delivered = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(both[1].Headers["webhook-id"], Is.EqualTo(both[0].Headers["webhook-id"]));
            Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Deliveries_SeveralQueued_OneAtATimeInOrder()
    {
        _receiver.Script(new ReceiverStep(500));
        var (id, _) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var first = await _client.SendTestAsync(id);
        await _client.WaitForDeliveryAsync(id, first.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        var second = await _client.SendTestAsync(id);
        var third = await _client.SendTestAsync(id);

        Factory.Time.Advance(PastAnyBackoff);
        var received = await _receiver.WaitForAsync(4);
        await _client.WaitForDeliveryAsync(id, third.Id(), d => d.Str("status") == "succeeded");
        Assert.That(received.Select(r => r.Headers["webhook-id"]),
            Is.EqualTo(new[] { first.Str("messageId"), first.Str("messageId"), second.Str("messageId"), third.Str("messageId") }),
            "the later messages wait until the first one is delivered");
    }

    [Test]
    public async Task Delivery_410_DisablesWebhookAtOnce()
    {
        _receiver.Script(new ReceiverStep(410));
        var (id, _) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"), ["container.state"]);
        var queued = await _client.SendTestAsync(id);
        var delivery = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "failed");
        var webhook = await _client.GetJsonAsync($"/api/v1/webhooks/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(delivery.GetProperty("responseStatus").GetInt32(), Is.EqualTo(410));
            Assert.That(webhook.GetProperty("enabled").GetBoolean(), Is.False);
            Assert.That(webhook.Str("disabledReason"), Is.EqualTo("endpoint_gone"));
        });

        using var again = await _client.PostAsync($"/api/v1/webhooks/{id}/test", null);
        await again.ProblemAsync(HttpStatusCode.Conflict, "webhook_disabled");
        using var enable = await _client.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true });
        Assert.That(enable.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var retest = await _client.SendTestAsync(id);
        await _client.WaitForDeliveryAsync(id, retest.Id(), d => d.Str("status") == "succeeded");
        Assert.That(_receiver.Received, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Delivery_FailingForThreeDays_DisablesWebhook()
    {
        _receiver.Default = new ReceiverStep(503);
        var (id, _) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var queued = await _client.SendTestAsync(id);
        await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        Factory.Time.Advance(TimeSpan.FromDays(2));
        await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 2);
        Assert.That((await _client.GetJsonAsync($"/api/v1/webhooks/{id}")).GetProperty("enabled").GetBoolean(), Is.True, "two days of failures");

        Factory.Time.Advance(TimeSpan.FromDays(1) + PastAnyBackoff);
        var delivery = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "failed");
        var webhook = await _client.GetJsonAsync($"/api/v1/webhooks/{id}");
        Assert.Multiple(() =>
        {
            Assert.That(delivery.GetProperty("attempts").GetInt32(), Is.EqualTo(3));
            Assert.That(webhook.GetProperty("enabled").GetBoolean(), Is.False);
            Assert.That(webhook.Str("disabledReason"), Is.EqualTo("failing"));
        });
    }

    [Test]
    public async Task Delivery_Redirect_NotFollowedAndCountsAsFailure()
    {
        _receiver.Script(new ReceiverStep(302, Location: _receiver.UrlFor("elsewhere").ToString()));
        var (id, _) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        var queued = await _client.SendTestAsync(id);
        var failed = await _client.WaitForDeliveryAsync(id, queued.Id(), d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Multiple(() =>
        {
            Assert.That(failed.Str("status"), Is.EqualTo("pending"));
            Assert.That(failed.GetProperty("responseStatus").GetInt32(), Is.EqualTo(302));
            Assert.That(failed.Str("error"), Does.Contain("redirects are not followed"));
            Assert.That(_receiver.Received.Select(r => r.Path), Is.EqualTo(new[] { "/hook" }), "the redirect target is never requested");
        });
    }

    [Test]
    public async Task Secret_ShownOnceOnly_NeverInResponsesDatabaseAuditOrLogs()
    {
        var given = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a-secret-of-thirty-two-bytes-123"));
        var (id, shown) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"), secret: given);
        var (generatedId, generated) = await _client.CreateWebhookAsync(_receiver.UrlFor("hook"));
        await _client.SendTestAsync(id);
        await _receiver.WaitForAsync(1);
        Assert.That(shown, Is.EqualTo(given));
        Assert.That(Convert.FromBase64String(generated["whsec_".Length..]), Has.Length.EqualTo(32));

        var secrets = new[] { given, given["whsec_".Length..], generated, generated["whsec_".Length..] };
        var answers = new List<string>();
        foreach (var path in new[] { "/api/v1/webhooks", $"/api/v1/webhooks/{id}", $"/api/v1/webhooks/{generatedId}", $"/api/v1/webhooks/{id}/deliveries" })
        {
            answers.Add((await _client.GetJsonAsync(path)).GetRawText());
        }

        using (var patch = await _client.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true }))
        {
            answers.Add(await patch.Content.ReadAsStringAsync());
        }

        await Factory.WaitForOperationLogAsync(rows => rows.Count(r => r.Action == "CreateWebhook" && r.HttpStatus is not null) >= 2);
        await using var db = Factory.NewDbContext();
        var stored = await db.Webhooks.AsNoTracking().ToListAsync();
        var storedText = string.Join('\n', stored.Select(w => w.Url + w.EventList + Convert.ToBase64String(w.SecretCipher) + Encoding.Latin1.GetString(w.SecretCipher)));
        var deliveries = string.Join('\n', await db.WebhookDeliveries.AsNoTracking().Select(d => d.Body + d.Error).ToListAsync());
        var audit = string.Join('\n', (await Factory.ReadOperationLogAsync()).Select(o => o.Parameters + o.Error));
        var secretBytes = Convert.FromBase64String(given["whsec_".Length..]);
        Assert.Multiple(() =>
        {
            foreach (var secret in secrets)
            {
                Assert.That(answers, Has.None.Contains(secret), "no answer after create shows the secret");
                Assert.That(storedText + deliveries, Does.Not.Contain(secret), "the database keeps no plain secret");
                Assert.That(audit, Does.Not.Contain(secret), "the audit log keeps no secret");
                Assert.That(Factory.Logs.AllText, Does.Not.Contain(secret), "no log line holds the secret");
            }

            Assert.That(stored.Any(w => w.SecretCipher.AsSpan().IndexOf(secretBytes) >= 0), Is.False, "the stored cipher does not contain the key bytes");
        });
    }
}
