using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Events;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Events;

/// <summary>
/// <c>GET /api/v1/events</c> over real HTTP: replay with <c>Last-Event-ID</c>, filters, the visibility of
/// <c>GET /operations</c>, heartbeats, revocation, retention, and events written by another instance on the same database.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class EventStreamTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    protected override ApiFactory CreateFactory()
    {
        var factory = new ApiFactory(new() { Database = TestDatabase.Create(Provider) });
        factory.Settings["Events:HeartbeatSeconds"] = "1";
        return factory;
    }

    [Test]
    public async Task Stream_LastEventIdHeader_ReplaysMissedEventsBeforeLiveOnes()
    {
        using var admin = Factory.CreateAdminClient();
        var before = await LatestAsync();
        var start = await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");

        await using var stream = await EventStreamReader.OpenAsync(admin, lastEventId: before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var replayed = await stream.EventsAsync(3);
        var stop = await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
        var live = await stream.EventsAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(stream.Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(stream.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(replayed.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationSucceeded, EventTypes.ContainerState }));
            Assert.That(replayed.Take(2).Select(e => OperationIdOf(e)), Is.All.EqualTo(start.GetProperty("id").GetInt64()));
            Assert.That(replayed.Concat(live).Select(e => e.Id), Is.Ordered.Ascending.And.All.GreaterThan(before));
            Assert.That(live.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationSucceeded, EventTypes.ContainerState }));
            Assert.That(live.Take(2).Select(e => OperationIdOf(e)), Is.All.EqualTo(stop.GetProperty("id").GetInt64()));
            Assert.That(JsonSerializer.Deserialize<JsonElement>(live[2].Data!).GetProperty("status").GetString(), Is.EqualTo("stopped"));
        });
    }

    [Test]
    public async Task Stream_TypesAndVmidFilters_SendOnlyMatchingEventsThenAHeartbeat()
    {
        using var admin = Factory.CreateAdminClient();
        var before = await LatestAsync();
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");

        await using var stream = await EventStreamReader.OpenAsync(admin, $"?types=container.state&vmid=102&lastEventId={before}");
        var events = await stream.EventsAsync(2);
        var next = await NextNonConnectedAsync(stream);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.All.EqualTo(EventTypes.ContainerState));
            Assert.That(events.Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data!).GetProperty("status").GetString()),
                Is.EqualTo(new[] { "running", "stopped" }));
            Assert.That(events.Select(e => JsonSerializer.Deserialize<JsonElement>(e.Data!).GetProperty("vmid").GetInt32()), Is.All.EqualTo(102));
            Assert.That(next?.Comment, Is.EqualTo("heartbeat"), "nothing else matched the filters");
        });
    }

    [TestCase("?types=operation.bogus", "types")]
    [TestCase("?types=operation.started,,nope", "types")]
    [TestCase("?vmid=5", "vmid")]
    [TestCase("?lastEventId=-1", "lastEventId")]
    [TestCase("?lastEventId=abc", "lastEventId")]
    public async Task Stream_BadFilter_Answers400(string query, string field)
    {
        using var admin = Factory.CreateAdminClient();

        using var response = await admin.GetAsync(new Uri("/api/v1/events" + query, UriKind.Relative));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Stream_InvalidLastEventIdHeader_Answers400()
    {
        using var admin = Factory.CreateAdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/events");
        request.Headers.Add("Last-Event-ID", "12x");

        using var response = await admin.SendAsync(request);

        await response.ProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Test]
    public async Task Stream_ReadKeyOwnOperationsOnly_AuditKeyAll()
    {
        var power = await Factory.CreateKeyAsync(["containers:read", "containers:power"]);
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        var auditor = await Factory.CreateKeyAsync(["audit:read"]);
        using var powerClient = Factory.CreateClient(power.Key);
        using var readerClient = Factory.CreateClient(reader.Key);
        using var auditorClient = Factory.CreateClient(auditor.Key);
        using var admin = Factory.CreateAdminClient();
        var before = (await LatestAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ownStart = await powerClient.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        var ownStop = await powerClient.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");

        await using var own = await EventStreamReader.OpenAsync(powerClient, lastEventId: before);
        await using var other = await EventStreamReader.OpenAsync(readerClient, lastEventId: before);
        await using var audit = await EventStreamReader.OpenAsync(auditorClient, lastEventId: before);
        var ownEvents = await own.EventsAsync(6);
        var ownNext = await NextNonConnectedAsync(own);
        var otherNext = await NextNonConnectedAsync(other);
        var auditEvents = await audit.EventsAsync(12);

        var ownIds = new[] { ownStart.GetProperty("id").GetInt64(), ownStop.GetProperty("id").GetInt64() };
        Assert.Multiple(() =>
        {
            Assert.That(ownEvents.Where(e => e.Type != EventTypes.ContainerState).Select(OperationIdOf), Is.All.AnyOf(ownIds[0], ownIds[1]));
            Assert.That(ownEvents.Where(e => e.Type == EventTypes.ContainerState).Select(VmIdOf), Is.All.EqualTo(102));
            Assert.That(ownNext?.Comment, Is.EqualTo("heartbeat"), "the admin's events are not the power key's");
            Assert.That(otherNext?.Comment, Is.EqualTo("heartbeat"), "a read key sees no other key's operations");
            Assert.That(auditEvents.Select(VmIdOf).Distinct(), Is.EquivalentTo(new[] { 101, 102 }));
        });
    }

    [Test]
    public async Task Stream_RestrictedAuditKey_NeverSeesAForeignContainersEvents()
    {
        var auditor = await Factory.CreateKeyAsync(["audit:read"], extra: new { vmidRange = new { min = 102, max = 102 } });
        using var auditorClient = Factory.CreateClient(auditor.Key);
        using var admin = Factory.CreateAdminClient();
        var before = (await LatestAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");

        await using var stream = await EventStreamReader.OpenAsync(auditorClient, lastEventId: before);
        var events = await stream.EventsAsync(6);
        var next = await NextNonConnectedAsync(stream);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(VmIdOf), Is.All.EqualTo(102));
            Assert.That(next?.Comment, Is.EqualTo("heartbeat"), "container 101's events are outside the restriction");
        });
    }

    [Test]
    public async Task Stream_KeyRevoked_EndsWithinTwoSeconds()
    {
        var reader = await Factory.CreateKeyAsync(["containers:read"]);
        using var readerClient = Factory.CreateClient(reader.Key);
        using var admin = Factory.CreateAdminClient();
        await using var stream = await EventStreamReader.OpenAsync(readerClient);
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));

        using (var revoked = await admin.DeleteAsync(new Uri($"/api/v1/keys/{reader.Id}", UriKind.Relative)))
        {
            Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var clock = Stopwatch.StartNew();
        var comments = await stream.CommentsUntilEndAsync(TimeSpan.FromSeconds(5));
        clock.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(comments.Last(), Does.Contain("no longer valid"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "the stream outlived its key");
        });
    }

    [Test]
    public async Task Stream_LastEventIdOlderThanRetention_ReplaysFromTheOldestKeptAndSaysSo()
    {
        using var admin = Factory.CreateAdminClient();
        var before = await LatestAsync();
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        await admin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");
        long oldestKept;
        await using (var db = Factory.NewDbContext())
        {
            var ids = await db.Events.Where(e => e.Id > before).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
            oldestKept = ids[2];
            await db.Events.Where(e => e.Id < oldestKept).ExecuteDeleteAsync(); // as retention would
        }

        await using var stream = await EventStreamReader.OpenAsync(admin, lastEventId: before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var first = await NextNonConnectedAsync(stream);
        var replayed = await stream.EventsAsync(4);

        Assert.Multiple(() =>
        {
            Assert.That(first?.Comment, Does.Contain("past retention").And.Contain($"replaying from {oldestKept}"));
            Assert.That(replayed[0].Id, Is.EqualTo(oldestKept));
        });
    }

    [Test]
    public async Task Stream_EventWrittenByASecondInstance_ReachesAStreamOnTheFirst()
    {
        await using var second = new ApiFactory(new() { Database = Factory.Database, AdminKey = Factory.AdminKey });
        using var secondAdmin = second.CreateAdminClient();
        using var admin = Factory.CreateAdminClient();
        await using var stream = await EventStreamReader.OpenAsync(admin, "?vmid=102");
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));

        var start = await secondAdmin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/start");
        var events = await stream.EventsAsync(3);
        await secondAdmin.RunAsync(HttpMethod.Post, "/api/v1/containers/102/stop");

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationSucceeded, EventTypes.ContainerState }));
            Assert.That(OperationIdOf(events[1]), Is.EqualTo(start.GetProperty("id").GetInt64()));
        });
    }

    [Test]
    public async Task Stream_ClientHangsUp_EndsWithoutErrors()
    {
        using var admin = Factory.CreateAdminClient();
        var logged = Factory.Logs.Messages.Count;
        var stream = await EventStreamReader.OpenAsync(admin);
        Assert.That((await stream.NextAsync())?.Comment, Is.EqualTo("connected"));

        await stream.DisposeAsync();
        await using var again = await EventStreamReader.OpenAsync(admin);
        var heartbeat = await NextNonConnectedAsync(again);

        Assert.Multiple(() =>
        {
            Assert.That(heartbeat?.Comment, Is.EqualTo("heartbeat"));
            Assert.That(Factory.Logs.Messages.Skip(logged).Where(m => m.StartsWith("Error", StringComparison.Ordinal) || m.StartsWith("Critical", StringComparison.Ordinal)),
                Is.Empty);
        });
    }

    [Test]
    public async Task PruneAsync_EventsOlderThanRetention_AreDeletedAndNewerKept()
    {
        var pruner = Factory.Services.GetServices<IHostedService>().OfType<EventPruner>().Single(); // starts the service (migrated)
        var now = Factory.Time.GetUtcNow();
        var old = ApiEvent.Create(EventTypes.ContainerState, now.AddDays(-8), null, null, 4990, "pve1", null, "{}");
        var recent = ApiEvent.Create(EventTypes.ContainerState, now.AddDays(-6), null, null, 4991, "pve1", null, "{}");
        await using (var db = Factory.NewDbContext())
        {
            db.Events.AddRange(old, recent);
            await db.SaveChangesAsync();
        }

        var deleted = await pruner.PruneAsync(CancellationToken.None);

        await using var check = Factory.NewDbContext();
        Assert.Multiple(async () =>
        {
            Assert.That(deleted, Is.GreaterThanOrEqualTo(1));
            Assert.That(await check.Events.AnyAsync(e => e.Id == old.Id), Is.False);
            Assert.That(await check.Events.AnyAsync(e => e.Id == recent.Id), Is.True);
        });
    }

    private static long OperationIdOf(SseItem e) => JsonSerializer.Deserialize<JsonElement>(e.Data!).GetProperty("id").GetInt64();

    private static int VmIdOf(SseItem e) => JsonSerializer.Deserialize<JsonElement>(e.Data!).GetProperty("vmid").GetInt32();

    private static async Task<SseItem?> NextNonConnectedAsync(EventStreamReader stream)
    {
        while (true)
        {
            var item = await stream.NextAsync(Quiet);
            if (item?.Comment != "connected")
            {
                return item;
            }
        }
    }

    private async Task<long> LatestAsync() =>
        await Factory.Services.GetRequiredService<IEventLog>().LatestIdAsync(CancellationToken.None);
}
