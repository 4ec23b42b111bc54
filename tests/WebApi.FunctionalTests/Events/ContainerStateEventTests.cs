using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Events;

/// <summary>
/// <c>container.state</c> from the inventory view: a container changed behind the API's back (the emulator's
/// <c>SetContainerRunning</c>, as its own init or the web UI would) becomes one event — once however many instances
/// see it, and never a second time for a change the API itself made — visible like other container events; the
/// background poller finds it without any request; an idle stream costs neither a key query nor a Proxmox call.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed partial class ContainerStateEventTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    protected override ApiFactory CreateFactory()
    {
        var factory = new ApiFactory(new() { Database = TestDatabase.Create(Provider) });
        factory.Settings["Events:HeartbeatSeconds"] = "1";
        factory.Settings["Logging:LogLevel:" + CommandCategory] = "Information";
        return factory;
    }

    [Test]
    public async Task Refresh_ContainerStoppedOutsideTheApi_OneEventFromTheInventory()
    {
        using var admin = Factory.CreateAdminClient();
        await ListAsync(admin);
        var before = await LatestAsync();

        Factory.Emulator.Engine.SetContainerRunning(100, running: false);
        await ListAsync(admin);
        await ListAsync(admin);
        var events = await StateEventsAsync(Factory, before, 100);
        Factory.Emulator.Engine.SetContainerRunning(100, running: true);
        await ListAsync(admin);

        Assert.That(events, Has.Count.EqualTo(1), "one event for one change, however often the view is refreshed");
        var data = JsonSerializer.Deserialize<JsonElement>(events[0].Data);
        Assert.Multiple(() =>
        {
            Assert.That(data.GetProperty("vmid").GetInt32(), Is.EqualTo(100));
            Assert.That(data.GetProperty("node").GetString(), Is.EqualTo("pve1"));
            Assert.That(data.GetProperty("status").GetString(), Is.EqualTo("stopped"));
            Assert.That(data.GetProperty("previousStatus").GetString(), Is.EqualTo("running"));
            Assert.That(data.GetProperty("source").GetString(), Is.EqualTo("inventory"));
            Assert.That(events[0].OperationId, Is.Null);
            Assert.That(events[0].KeyId, Is.Null);
            Assert.That(events[0].Pool, Is.EqualTo("web"));
        });
    }

    [Test]
    public async Task Refresh_AfterTheApisOwnStartAndStop_NoSecondEvent()
    {
        using var admin = Factory.CreateAdminClient();
        await ListAsync(admin);
        var before = await LatestAsync();

        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        await ListAsync(admin); // the view now sees running where it saw stopped
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
        await ListAsync(admin);

        var events = await StateEventsAsync(Factory, before, 102);
        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => StatusOf(e.Data)), Is.EqualTo(new[] { "running", "stopped" }));
            Assert.That(events.Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data).GetProperty("source").GetString()),
                Is.All.EqualTo("operation"));
            Assert.That(events.Select(e => e.OperationId), Is.All.Not.Null);
        });
    }

    [Test]
    public async Task Refresh_StoppedOutsideUnseenThenStartedByTheApi_TheApisEventIsRecorded()
    {
        using var admin = Factory.CreateAdminClient();
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        await ListAsync(admin); // the view has seen it running
        var before = await LatestAsync();

        Factory.Emulator.Engine.SetContainerRunning(102, running: false);
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start"); // its reads refresh the view: the stop is seen first
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");

        var events = await StateEventsAsync(Factory, before, 102);
        Assert.That(events.Select(e => (StatusOf(e.Data), e.OperationId is null ? "inventory" : "operation")),
            Is.EqualTo(new[] { ("stopped", "inventory"), ("running", "operation"), ("stopped", "operation") }));
    }

    [Test]
    public async Task Refresh_TwoInstancesOnOneDatabase_OneEventPerChange()
    {
        await using var shared = await SharedDatabaseInstances.StartAsync(Provider, 2, []);
        var clients = shared.Instances.Select(i => i.CreateClient(shared.AdminKey)).ToList();
        try
        {
            foreach (var client in clients)
            {
                await ListAsync(client);
            }

            var before = await shared.Instances[0].Services.GetRequiredService<IEventLog>().LatestIdAsync(CancellationToken.None);
            shared.Emulator.Engine.SetContainerRunning(100, running: false);
            await Task.WhenAll(clients.Select(ListAsync));
            await Task.WhenAll(clients.Select(ListAsync));
            shared.Emulator.Engine.SetContainerRunning(100, running: true);
            await Task.WhenAll(clients.Select(ListAsync));

            var events = await StateEventsAsync(shared.Instances[0], before, 100);
            Assert.That(events.Select(e => StatusOf(e.Data)), Is.EqualTo(new[] { "stopped", "running" }), "each change once, not once per instance");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public async Task Stream_InventoryEvent_ReachesAuditKeysInsideTheRestrictionOnly()
    {
        var webAuditor = await Factory.CreateKeyAsync(["audit:read"], extra: new { allowedPools = new[] { "web" } });
        var dbAuditor = await Factory.CreateKeyAsync(["audit:read"], extra: new { allowedPools = new[] { "db" } });
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        using var admin = Factory.CreateAdminClient();
        using var webClient = Factory.CreateClient(webAuditor.Key);
        using var dbClient = Factory.CreateClient(dbAuditor.Key);
        using var readerClient = Factory.CreateClient(reader.Key);
        await ListAsync(admin);
        var before = (await LatestAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Factory.Emulator.Engine.SetContainerRunning(100, running: false);
        await ListAsync(admin);
        Factory.Emulator.Engine.SetContainerRunning(100, running: true);
        await ListAsync(admin);

        await using var web = await EventStreamReader.OpenAsync(webClient, "?types=container.state", before);
        await using var db = await EventStreamReader.OpenAsync(dbClient, "?types=container.state", before);
        await using var read = await EventStreamReader.OpenAsync(readerClient, "?types=container.state", before);
        var webEvents = await web.EventsAsync(2);

        Assert.Multiple(async () =>
        {
            Assert.That(webEvents.Select(e => StatusOf(e.Data!)), Is.EqualTo(new[] { "stopped", "running" }));
            Assert.That(webEvents.Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data!).GetProperty("vmid").GetInt32()), Is.All.EqualTo(100));
            Assert.That((await NextNonConnectedAsync(db))?.Comment, Is.EqualTo("heartbeat"), "container 100 is outside pool db");
            Assert.That((await NextNonConnectedAsync(read))?.Comment, Is.EqualTo("heartbeat"), "not the read key's operation");
        });
    }

    [Test]
    public async Task Poller_NoRequestAtAll_AnOpenStreamGetsAChangeMadeOutsideTheApi()
    {
        await using var polled = new ApiFactory(new() { Database = TestDatabase.Create(Provider) });
        polled.Settings["Events:InventoryPollSeconds"] = "1";
        using var admin = polled.CreateAdminClient();
        await ListAsync(admin); // the first view: changes are differences to it
        await using var stream = await EventStreamReader.OpenAsync(admin, "?types=container.state&vmid=101");
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));

        polled.Emulator.Engine.SetContainerRunning(101, running: true);
        var events = await stream.EventsAsync(1);

        var data = JsonSerializer.Deserialize<JsonElement>(events[0].Data!);
        Assert.Multiple(() =>
        {
            Assert.That(data.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(data.GetProperty("previousStatus").GetString(), Is.EqualTo("stopped"));
            Assert.That(data.GetProperty("source").GetString(), Is.EqualTo("inventory"));
        });
    }

    [Test]
    public async Task Stream_IdlePoolRestrictedStream_NoKeyQueryAndNoProxmoxCallPerSecond()
    {
        var auditor = await Factory.CreateKeyAsync(["audit:read"], extra: new { allowedPools = new[] { "web" } });
        using var client = Factory.CreateClient(auditor.Key);
        await using var stream = await EventStreamReader.OpenAsync(client, "?vmid=4242");
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));
        for (var i = 0; i < 2; i++)
        {
            // Past its set-up, and past the one reload after the key's creation changed the key-change stamp.
            Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("heartbeat"));
        }

        var keyQueries = KeyQueries();
        var inventoryCalls = InventoryCalls();

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("heartbeat"));
        }

        Assert.Multiple(() =>
        {
            Assert.That(KeyQueries(), Is.EqualTo(keyQueries), "the key is checked every second, in the key cache");
            Assert.That(InventoryCalls(), Is.EqualTo(inventoryCalls), "pool membership comes from the view as it is");
        });
    }

    [Test]
    public async Task Stream_PoolRestrictedKey_StillEndsWithinTwoSecondsOfRevocation()
    {
        var auditor = await Factory.CreateKeyAsync(["audit:read"], extra: new { allowedPools = new[] { "web" } });
        using var client = Factory.CreateClient(auditor.Key);
        using var admin = Factory.CreateAdminClient();
        await using var stream = await EventStreamReader.OpenAsync(client);
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));

        using (var revoked = await admin.DeleteAsync(new Uri($"/api/v1/keys/{auditor.Id}", UriKind.Relative)))
        {
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var comments = await stream.CommentsUntilEndAsync(TimeSpan.FromSeconds(5));
        clock.Stop();
        Assert.Multiple(() =>
        {
            Assert.That(comments.Last(), Does.Contain("no longer valid"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        });
    }

    /// <summary>Reads of one key (<c>FirstOrDefault</c>: LIMIT / TOP(1)) — not the last-used flusher's list read every 10 s.</summary>
    private int KeyQueries() => Factory.Logs.Messages.Count(m => KeySelect().IsMatch(m) && (m.Contains("LIMIT", StringComparison.Ordinal) || m.Contains("TOP(1)", StringComparison.Ordinal)));

    private int InventoryCalls() => Factory.Emulator.Journal.Entries.Count(e => e.Path.StartsWith("/cluster/resources", StringComparison.Ordinal));

    [GeneratedRegex("""FROM ["\[`]?ApiKeys["\]`]?""")]
    private static partial Regex KeySelect();

    private static async Task ListAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/v1/containers", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<ApiEvent>> StateEventsAsync(ApiFactory factory, long after, int vmId)
    {
        await using var db = factory.NewDbContext();
        return await db.Events.AsNoTracking().Where(e => e.Id > after && e.Type == EventTypes.ContainerState && e.VmId == vmId)
            .OrderBy(e => e.Id).ToListAsync();
    }

    private static string? StatusOf(string data) => JsonSerializer.Deserialize<JsonElement>(data).GetProperty("status").GetString();

    private static async Task<SseItem?> NextNonConnectedAsync(EventStreamReader stream)
    {
        while (true)
        {
            var item = await stream.NextAsync(TimeSpan.FromSeconds(3));
            if (item?.Comment != "connected")
            {
                return item;
            }
        }
    }

    private async Task<long> LatestAsync() =>
        await Factory.Services.GetRequiredService<IEventLog>().LatestIdAsync(CancellationToken.None);
}
