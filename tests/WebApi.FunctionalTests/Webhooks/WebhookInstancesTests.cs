using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Webhooks;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Webhooks;

/// <summary>
/// Webhook delivery with several instances on one database: a webhook is held by one instance at a time through the
/// shared row lease (as operation rows are) — a live holder's webhook is left alone, a run-out lease is taken over, a
/// holder that lost its lease cannot record anything — so messages go out one at a time, in order, whichever instance
/// queued them; an owner key disabled through another instance stops its webhooks until it is enabled again.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class WebhookInstancesTests(DatabaseProvider provider)
{
    private WebhookReceiver _receiver = null!;

    [SetUp]
    public async Task StartReceiver() => _receiver = await WebhookReceiver.StartAsync();

    [TearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    [Test]
    public async Task Scan_WebhookLeasedByAnotherInstance_LeftAloneUntilTheLeaseRunsOut_ThenDeliveredOnce()
    {
        await using var cluster = await StartAsync(scansDrivenByTest: true);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var client = a.CreateAdminClient();
        var (id, _) = await client.CreateWebhookAsync(_receiver.UrlFor("held"));
        await SetLeaseAsync(cluster, id, "instance-z#live", DateTimeOffset.UtcNow.AddHours(1));

        var queued = await client.SendTestAsync(id);
        await Dispatcher(a).ScanAsync(CancellationToken.None);
        await Dispatcher(b).ScanAsync(CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That((await LeaseOfAsync(cluster, id)).Owner, Is.EqualTo("instance-z#live"), "neither instance claimed it");
            Assert.That(_receiver.Received, Is.Empty);
            Assert.That((await client.DeliveriesAsync(id)).Single().GetProperty("attempts").GetInt32(), Is.Zero);
        });

        // From A's point of view the holder stopped renewing: its lease has run out.
        a.Time.Advance(TimeSpan.FromHours(2));
        await Dispatcher(a).ScanAsync(CancellationToken.None);
        var delivered = await client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "succeeded");
        Assert.Multiple(() =>
        {
            Assert.That(delivered.Str("status"), Is.EqualTo("succeeded"));
            Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(_receiver.Received, Has.Count.EqualTo(1));
            Assert.That(a.Logs.AllText, Does.Contain($"to webhook {id} succeeded"), "the instance that took the lease over delivered it");
            Assert.That(b.Logs.AllText, Does.Not.Contain($"to webhook {id} succeeded"));
        });
    }

    [Test]
    public async Task Delivery_LeaseTakenOverDuringTheAttempt_HolderRecordsNothing_NewHolderDeliversSameMessage()
    {
        await using var cluster = await StartAsync(scansDrivenByTest: true);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var client = a.CreateAdminClient();
        var answer = new TaskCompletionSource();
        _receiver.Script(new ReceiverStep(200, Gate: answer.Task));
        var (id, _) = await client.CreateWebhookAsync(_receiver.UrlFor("taken"));
        var queued = await client.SendTestAsync(id);
        await _receiver.WaitForAsync(1);
        Assert.That((await LeaseOfAsync(cluster, id)).Owner, Is.EqualTo(SharedDatabaseInstances.IdOf(a)), "A is sending: it holds the webhook");

        // Another instance takes the webhook over while A's attempt is still waiting for its answer.
        await SetLeaseAsync(cluster, id, "instance-z#new", DateTimeOffset.UtcNow.AddHours(1));
        answer.SetResult();
        await WaitForLogAsync(a, $"lost the lease of webhook {id}");
        var pending = (await client.DeliveriesAsync(id)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(pending.Str("status"), Is.EqualTo("pending"), "A's outcome was not recorded");
            Assert.That(pending.GetProperty("attempts").GetInt32(), Is.Zero);
            Assert.That(a.Logs.AllText, Does.Not.Contain($"to webhook {id} succeeded"));
        });

        // The new holder is gone too; B takes the webhook and sends the same message again (at least once).
        await SetLeaseAsync(cluster, id, "instance-z#new", DateTimeOffset.UtcNow.AddSeconds(-1));
        await Dispatcher(b).ScanAsync(CancellationToken.None);
        var delivered = await client.WaitForDeliveryAsync(id, queued.Id(), d => d.Str("status") == "succeeded");
        var received = await _receiver.WaitForAsync(2);
        Assert.Multiple(() =>
        {
            Assert.That(delivered.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(received[1].Headers["webhook-id"], Is.EqualTo(received[0].Headers["webhook-id"]));
            Assert.That(received[1].Body, Is.EqualTo(received[0].Body));
            Assert.That(b.Logs.AllText, Does.Contain($"to webhook {id} succeeded"));
        });
    }

    [Test]
    public async Task Deliveries_QueuedThroughTwoInstances_OneInFlightAtATimeInQueueOrder()
    {
        await using var cluster = await StartAsync(scansDrivenByTest: false);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var clientA = a.CreateAdminClient();
        using var clientB = b.CreateAdminClient();
        _receiver.Default = new ReceiverStep(200, TimeSpan.FromMilliseconds(50));
        var (id, _) = await clientA.CreateWebhookAsync(_receiver.UrlFor("ordered"));

        var queued = new List<JsonElement>();
        for (var i = 0; i < 6; i++)
        {
            queued.Add(await (i % 2 == 0 ? clientA : clientB).SendTestAsync(id));
        }

        var received = await _receiver.WaitForAsync(queued.Count);
        await clientA.WaitForDeliveryAsync(id, queued[^1].Id(), d => d.Str("status") == "succeeded");
        var deliveries = await clientA.DeliveriesAsync(id);
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Headers["webhook-id"]), Is.EqualTo(queued.Select(q => q.Str("messageId"))));
            Assert.That(_receiver.MaxInFlight, Is.EqualTo(1), "one message in flight per endpoint");
            Assert.That(deliveries.Select(d => d.Str("status")), Is.All.EqualTo("succeeded"));
            Assert.That(deliveries.Select(d => d.GetProperty("attempts").GetInt32()), Is.All.EqualTo(1));
        });
    }

    [Test]
    public async Task Deliveries_OwnerKeyDisabledThroughOtherInstance_StopUntilEnabledAgain()
    {
        await using var cluster = await StartAsync(scansDrivenByTest: false);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var adminA = a.CreateAdminClient();
        using var adminB = b.CreateAdminClient();
        // Restricted to container 101: the key and webhook calls of the test (no container) are not for it.
        var owner = await a.CreateKeyAsync(["audit:read", "webhooks:admin"], extra: new { vmidRange = new { min = 101, max = 101 } });
        using var ownerClient = a.CreateClient(owner.Key);
        var (hook, _) = await ownerClient.CreateWebhookAsync(_receiver.UrlFor("owner"), ["operation.succeeded"]);
        await adminA.CreateWebhookAsync(_receiver.UrlFor("witness"), ["operation.succeeded"]);
        await SetKeyEnabledAsync(adminB, owner.Id, false);
        // A learns of the change made through B from the key-change stamp (its key cache), as authentication does.
        await WaitForKeyStateAsync(ownerClient, HttpStatusCode.Unauthorized);

        var operationId = await PowerAsync(adminA, 101, "start");
        try
        {
            // The witness got the start's event: the owner's webhook had its turn at it too.
            await WaitForOperationEventAsync("/witness", operationId);
            await using (var db = cluster.Database.NewContext())
            {
                var latest = await db.Events.MaxAsync(e => e.Id);
                var deliveries = await db.WebhookDeliveries.CountAsync(d => d.WebhookId == hook);
                var cursor = (await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == hook)).LastEventId;
                Assert.Multiple(() =>
                {
                    Assert.That(_receiver.Received.Select(r => r.Path), Has.None.EqualTo("/owner"));
                    Assert.That(deliveries, Is.Zero);
                    Assert.That(cursor, Is.LessThan(latest), "a disabled owner's webhook is not read on");
                });
            }

            await SetKeyEnabledAsync(adminB, owner.Id, true);
            await WaitForKeyStateAsync(ownerClient, HttpStatusCode.OK);
            var told = await WaitForOperationEventAsync("/owner", operationId);
            Assert.That(_receiver.Received.Count(r => r.Path == "/owner"), Is.EqualTo(1), "only the event about its container");
            Assert.That(told.Str("type"), Is.EqualTo("operation.succeeded"));
        }
        finally
        {
            await PowerAsync(adminA, 101, "stop");
        }
    }

    [Test]
    public async Task Patch_WebhookClaimedBetweenReadAndSave_ChangeAppliedAndLeaseKept()
    {
        var database = TestDatabase.Create(provider);
        var claimer = new ClaimingUrlPolicy(database);
        await using var factory = new ApiFactory(new() { Database = database })
            .WithTestServices(s => s.AddSingleton<IWebhookUrlPolicy>(claimer));
        factory.Settings["Webhooks:PollInterval"] = "01:00:00";
        using var client = factory.CreateAdminClient();
        var (id, _) = await client.CreateWebhookAsync(_receiver.UrlFor("before"));

        // The URL check sits between the handler's read and its save: a dispatcher claims the webhook right there.
        claimer.Arm(id);
        using var response = await client.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { url = _receiver.UrlFor("after"), enabled = false });
        var text = await response.Content.ReadAsStringAsync();
        await using var db = database.NewContext();
        var stored = await db.Webhooks.AsNoTracking().SingleAsync(w => w.Id == id);
        var lease = await db.Webhooks.AsNoTracking().Where(w => w.Id == id).Select(w => EF.Property<string?>(w, RowLeases.OwnerColumn)).SingleAsync();
        Assert.Multiple(() =>
        {
            Assert.That(claimer.Claims, Is.EqualTo(1));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
            Assert.That(stored.Url, Is.EqualTo(_receiver.UrlFor("after").AbsoluteUri));
            Assert.That(stored.Enabled, Is.False);
            Assert.That(lease, Is.EqualTo(ClaimingUrlPolicy.Owner), "the API's write leaves the lease to the dispatcher");
        });
    }

    /// <summary>
    /// Two instances sharing one webhook encryption key. With <paramref name="scansDrivenByTest"/> the dispatchers poll
    /// once an hour: they scan at start, when their own instance queues something, and when a test says so.
    /// </summary>
    private Task<SharedDatabaseInstances> StartAsync(bool scansDrivenByTest)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Webhooks:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["RateLimiting:PermitsPerMinute"] = "0",
        };
        if (scansDrivenByTest)
        {
            settings["Webhooks:PollInterval"] = "01:00:00";
        }

        return SharedDatabaseInstances.StartAsync(provider, 2, [], settings);
    }

    private static WebhookDispatcher Dispatcher(ApiFactory instance) =>
        instance.Services.GetServices<IHostedService>().OfType<WebhookDispatcher>().Single();

    private static async Task SetLeaseAsync(SharedDatabaseInstances cluster, string webhookId, string owner, DateTimeOffset until)
    {
        await using var db = cluster.Database.NewContext();
        var rows = await db.Webhooks.Where(w => w.Id == webhookId).ExecuteUpdateAsync(s => s
            .SetProperty(w => EF.Property<string?>(w, RowLeases.OwnerColumn), owner)
            .SetProperty(w => EF.Property<DateTimeOffset?>(w, RowLeases.UntilColumn), until));
        Assert.That(rows, Is.EqualTo(1));
    }

    private static async Task<(string? Owner, DateTimeOffset? Until)> LeaseOfAsync(SharedDatabaseInstances cluster, string webhookId)
    {
        await using var db = cluster.Database.NewContext();
        var lease = await db.Webhooks.AsNoTracking().Where(w => w.Id == webhookId)
            .Select(w => new { Owner = EF.Property<string?>(w, RowLeases.OwnerColumn), Until = EF.Property<DateTimeOffset?>(w, RowLeases.UntilColumn) })
            .SingleAsync();
        return (lease.Owner, lease.Until);
    }

    private static async Task WaitForLogAsync(ApiFactory instance, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!instance.Logs.AllText.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.That(instance.Logs.AllText, Does.Contain(text));
    }

    /// <summary>Waits (up to 20 s) for the message about operation <paramref name="operationId"/> at <paramref name="path"/>; its body.</summary>
    private async Task<JsonElement> WaitForOperationEventAsync(string path, long operationId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var request in _receiver.Received.Where(r => r.Path == path))
            {
                using var body = JsonDocument.Parse(request.Body);
                if (body.RootElement.GetProperty("data").TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.GetInt64() == operationId)
                {
                    return body.RootElement.Clone();
                }
            }

            await Task.Delay(25);
        }

        Assert.Fail($"No message about operation {operationId} reached {path}.");
        return default;
    }

    /// <summary>Waits (up to 5 s) until the instance behind <paramref name="client"/> answers its key with <paramref name="status"/>.</summary>
    private static async Task WaitForKeyStateAsync(HttpClient client, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpStatusCode answered;
        do
        {
            using var response = await client.GetAsync("/api/v1/webhooks");
            answered = response.StatusCode;
            if (answered == status)
            {
                return;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.That(answered, Is.EqualTo(status), "the key's state as this instance knows it");
    }

    private static async Task SetKeyEnabledAsync(HttpClient admin, string keyId, bool enabled)
    {
        using var response = await admin.PatchAsJsonAsync($"/api/v1/keys/{keyId}", new { enabled });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
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

    /// <summary>Allows every URL; once armed, its next check claims the webhook's lease as another instance would.</summary>
    private sealed class ClaimingUrlPolicy(TestDatabase database) : IWebhookUrlPolicy
    {
        public const string Owner = "instance-z#claimer";

        private string? _webhookId;

        public int Claims { get; private set; }

        public void Arm(string webhookId) => _webhookId = webhookId;

        public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _webhookId, null) is { } id)
            {
                await using var db = database.NewContext();
                Claims += await db.Webhooks.Where(w => w.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(w => EF.Property<string?>(w, RowLeases.OwnerColumn), Owner)
                    .SetProperty(w => EF.Property<DateTimeOffset?>(w, RowLeases.UntilColumn), DateTimeOffset.UtcNow.AddHours(1)), cancellationToken);
            }

            return null;
        }
    }
}
