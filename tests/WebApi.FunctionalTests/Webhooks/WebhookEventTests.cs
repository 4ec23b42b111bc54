using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Events of the durable log reach webhooks as their owner key may see them now: own operations with
/// <c>containers:read</c>, all with <c>audit:read</c>, never outside its restriction; a revoked owner's webhooks get
/// nothing; <c>webhook.disabled</c> is told to the owner's other webhooks; a restart in the middle of retrying loses nothing.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class WebhookEventTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private WebhookReceiver _receiver = null!;
    private HttpClient _admin = null!;

    protected override ApiFactory CreateFactory()
    {
        var factory = base.CreateFactory();
        factory.Settings["RateLimiting:PermitsPerMinute"] = "0";
        return factory;
    }

    [SetUp]
    public async Task StartReceiver()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _admin = Factory.CreateAdminClient();
    }

    [TearDown]
    public async Task StopReceiver()
    {
        await _admin.DeleteAllWebhooksAsync();
        _admin.Dispose();
        await _receiver.DisposeAsync();
    }

    [Test]
    public async Task OwnOperation_EventsDeliveredInOrderWithStableIds()
    {
        var owner = await Factory.CreateKeyAsync(["containers:read", "containers:power", "webhooks:admin"]);
        using var client = Factory.CreateClient(owner.Key);
        var (id, secret) = await client.CreateWebhookAsync(_receiver.UrlFor("own"), ["operation.started", "operation.succeeded", "container.state"]);

        var operationId = await PowerAsync(client, 101, "start");
        try
        {
            // The key's own CreateWebhook call ended after the webhook's start: its operation.succeeded comes first.
            var all = await _receiver.WaitForAsync(4);
            var received = all.Where(r => !r.Body.Contains("\"CreateWebhook\"", StringComparison.Ordinal)).ToList();
            var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(bodies.Select(b => b.Str("type")), Is.EqualTo(new[] { "operation.started", "operation.succeeded", "container.state" }),
                    string.Join('\n', received.Select(r => r.Headers["webhook-id"] + " " + r.Body)));
                Assert.That(bodies[0].GetProperty("data").GetProperty("id").GetInt64(), Is.EqualTo(operationId));
                Assert.That(bodies[1].GetProperty("data").Str("status"), Is.EqualTo("succeeded"));
                Assert.That(bodies[2].GetProperty("data").Str("status"), Is.EqualTo("running"));
                Assert.That(received.Select(r => r.Headers["webhook-id"]), Is.All.Match("^msg_[0-9]+_" + id + "$"));
                Assert.That(received.All(r => StandardWebhooksVerifier.Verify(secret, r.Headers["webhook-id"], r.Headers["webhook-timestamp"],
                    r.Headers["webhook-signature"], r.Body, Factory.Time.GetUtcNow(), TimeSpan.FromMinutes(5))), Is.True);
            });
        }
        finally
        {
            await PowerAsync(_admin, 101, "stop");
        }
    }

    [Test]
    public async Task RestrictedOwner_ForeignContainersEventsNeverDelivered()
    {
        var owner = await Factory.CreateKeyAsync(["audit:read", "webhooks:admin"], extra: new { vmidRange = new { min = 102, max = 102 } });
        using var client = Factory.CreateClient(owner.Key);
        await client.CreateWebhookAsync(_receiver.UrlFor("restricted"), ["operation.started", "operation.succeeded", "container.state"]);

        // Outside the owner's range first, then inside: events go in order, so the inside ones arriving means the outside ones were judged.
        await PowerAsync(_admin, 101, "start");
        await PowerAsync(_admin, 102, "start");
        try
        {
            var received = await _receiver.WaitForAsync(3);
            var vmids = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("vmid").GetInt32()).ToList();
            Assert.That(vmids, Is.All.EqualTo(102), string.Join('\n', received.Select(r => r.Body)));
        }
        finally
        {
            await PowerAsync(_admin, 101, "stop");
            await PowerAsync(_admin, 102, "stop");
        }
    }

    [Test]
    public async Task OwnerWithoutReadScopes_GetsNoOperationEvents_RevokedOwnerNothing()
    {
        var blind = await Factory.CreateKeyAsync(["containers:power", "webhooks:admin"]);
        var revoked = await Factory.CreateKeyAsync(["audit:read", "webhooks:admin"]);
        using var blindClient = Factory.CreateClient(blind.Key);
        using var revokedClient = Factory.CreateClient(revoked.Key);
        var (blindHook, _) = await blindClient.CreateWebhookAsync(_receiver.UrlFor("blind"), ["operation.started"]);
        var (revokedHook, _) = await revokedClient.CreateWebhookAsync(_receiver.UrlFor("revoked"), ["operation.started"]);
        await _admin.CreateWebhookAsync(_receiver.UrlFor("witness"), ["operation.succeeded"]);
        using (var revoke = await _admin.DeleteAsync($"/api/v1/keys/{revoked.Id}"))
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        await PowerAsync(blindClient, 101, "start");
        try
        {
            // The witness (the admin's webhook) got the same event: the others had their turn at it.
            await _receiver.WaitForAsync(1);
            await using var db = Factory.NewDbContext();
            var blindState = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == blindHook);
            var latest = await db.Events.MaxAsync(e => e.Id);
            await WaitForCursorAsync(blindHook, latest);
            Assert.Multiple(() =>
            {
                Assert.That(_receiver.Received.Select(r => r.Path), Is.All.EqualTo("/witness"));
                Assert.That(db.WebhookDeliveries.Count(d => d.WebhookId == blindHook || d.WebhookId == revokedHook), Is.Zero);
                Assert.That(db.Webhooks.AsNoTracking().Single(w => w.Id == revokedHook).LastEventId, Is.LessThan(latest), "a revoked owner's webhook is not read on");
                Assert.That(blindState.OwnerKeyId, Is.EqualTo(blind.Id));
            });
        }
        finally
        {
            await PowerAsync(_admin, 101, "stop");
        }
    }

    [Test]
    public async Task Disabled410_WebhookDisabledEventToOwnersOtherWebhook()
    {
        var owner = await Factory.CreateKeyAsync(["webhooks:admin"]);
        using var client = Factory.CreateClient(owner.Key);
        _receiver.Script(new ReceiverStep(410));
        var (gone, _) = await client.CreateWebhookAsync(_receiver.UrlFor("gone"), ["operation.failed"]);
        await client.CreateWebhookAsync(_receiver.UrlFor("watcher"), ["webhook.disabled"]);
        var other = await Factory.CreateKeyAsync(["webhooks:admin"]);
        using var otherClient = Factory.CreateClient(other.Key);
        await otherClient.CreateWebhookAsync(_receiver.UrlFor("stranger"), ["webhook.disabled"]);

        await client.SendTestAsync(gone);
        var received = await _receiver.WaitForAsync(2);
        var told = received.Single(r => r.Path == "/watcher");
        var body = JsonDocument.Parse(told.Body).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(body.Str("type"), Is.EqualTo("webhook.disabled"));
            Assert.That(body.GetProperty("data").Str("webhookId"), Is.EqualTo(gone));
            Assert.That(body.GetProperty("data").Str("reason"), Is.EqualTo("endpoint_gone"));
            Assert.That(received.Select(r => r.Path), Has.None.EqualTo("/stranger"), "another key's webhook is not told");
        });
    }

    [Test]
    public async Task Restart_MidRetry_NewInstanceDeliversWithSameWebhookId()
    {
        var database = TestDatabase.Create(Provider);
        var adminKey = ApiFactory.NewKeyString();
        var encryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _receiver.Script(new ReceiverStep(500));
        string id;
        long deliveryId;
        await using (var first = new ApiFactory(new() { Database = database, AdminKey = adminKey, WebhookEncryptionKey = encryptionKey }))
        {
            first.Settings["RateLimiting:PermitsPerMinute"] = "0";
            using var client = first.CreateAdminClient();
            (id, _) = await client.CreateWebhookAsync(_receiver.UrlFor("restart"));
            deliveryId = (await client.SendTestAsync(id)).Id();
            await client.WaitForDeliveryAsync(id, deliveryId, d => d.GetProperty("attempts").GetInt32() == 1);
        }

        await using var second = new ApiFactory(new() { Database = database, AdminKey = adminKey, WebhookEncryptionKey = encryptionKey });
        second.Settings["RateLimiting:PermitsPerMinute"] = "0";
        using var client2 = second.CreateAdminClient();
        second.Time.Advance(TimeSpan.FromHours(2));
        var delivered = await client2.WaitForDeliveryAsync(id, deliveryId, d => d.Str("status") == "succeeded");
        var received = await _receiver.WaitForAsync(2);
        Assert.Multiple(() =>
        {
            Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
            Assert.That(received[1].Headers["webhook-id"], Is.EqualTo(received[0].Headers["webhook-id"]));
            Assert.That(received[1].Body, Is.EqualTo(received[0].Body));
        });
    }

    /// <summary>A power action with <c>Prefer: wait</c> (the Operation has ended when this returns); its operation id.</summary>
    private static async Task<long> PowerAsync(HttpClient client, int vmid, string action)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/containers/{vmid}/{action}");
        request.Headers.Add("Prefer", "wait=30");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var document = JsonDocument.Parse(text);
        Assert.That(document.RootElement.Str("status"), Is.EqualTo("succeeded"), text);
        return document.RootElement.Id();
    }

    private async Task WaitForCursorAsync(string webhookId, long eventId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = Factory.NewDbContext();
            if ((await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == webhookId)).LastEventId >= eventId)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"Webhook {webhookId} did not read past event {eventId}.");
    }
}
