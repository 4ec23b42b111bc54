using System.Data.Common;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Events;

/// <summary>
/// The event log is the outbox: every write of a mutating operation's row writes the events it causes in the same
/// transaction (a write that fails writes neither), and <see cref="IEventLog"/> reads them back in id order.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class EventLogTests(DatabaseProvider provider) : ApiFixture(provider)
{
    private readonly EventInsertFault _fault = new();

    protected override ApiFactory CreateFactory() =>
        new ApiFactory(new() { Database = TestDatabase.Create(Provider) })
            .WithTestServices(services => services.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(_fault)));

    [TearDown]
    public void Disarm() => _fault.Armed = false;

    [Test]
    public async Task Start_TaskSucceeds_WritesStartedSucceededAndContainerStateWithTheOperationAsGetRendersIt()
    {
        using var client = Factory.CreateAdminClient();

        using var response = await client.PostAsync("/api/v1/containers/101/start");
        var id = (await response.AcceptedAsync()).GetProperty("id").GetInt64();
        await client.WaitForOperationAsync(id);
        using var listed = await client.GetAsync(new Uri($"/api/v1/operations?vmid=101&limit=100", UriKind.Relative));
        var rendered = (await listed.JsonAsync()).GetProperty("items").EnumerateArray().Single(o => o.GetProperty("id").GetInt64() == id);
        var events = await EventsOfAsync(id);
        await client.RunAsync(HttpMethod.Post, "/api/v1/containers/101/stop");

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationSucceeded, EventTypes.ContainerState }));
            Assert.That(events.Select(e => e.Id), Is.Ordered.Ascending);
            Assert.That(events.Select(e => e.KeyId), Is.All.EqualTo(Factory.AdminKeyId));
            Assert.That(events.Select(e => e.VmId), Is.All.EqualTo(101));
            Assert.That(events.Select(e => e.Node), Is.All.EqualTo("pve2"));
            var started = JsonSerializer.Deserialize<JsonElement>(events[0].Data);
            Assert.That(started.GetProperty("id").GetInt64(), Is.EqualTo(id));
            Assert.That(started.GetProperty("status").GetString(), Is.EqualTo("running"));
            Assert.That(JsonSerializer.Deserialize<JsonElement>(events[1].Data).ToString(), Is.EqualTo(rendered.ToString()));
            var state = JsonSerializer.Deserialize<JsonElement>(events[2].Data);
            Assert.That(state.ToString(), Is.EqualTo("""{"vmid":101,"node":"pve2","status":"running","previousStatus":"stopped"}"""));
        });
    }

    [Test]
    public async Task Stop_Rejected409_WritesStartedThenFailedWithTheRejectedOperation()
    {
        using var client = Factory.CreateAdminClient();

        using var response = await client.PostAsync("/api/v1/containers/102/stop");
        await response.ProblemAsync(HttpStatusCode.Conflict, "container_state_conflict");
        var row = await Factory.WaitForOperationRowAsync(response);
        var events = await EventsOfAsync(row.Id);

        Assert.Multiple(() =>
        {
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationFailed }));
            var failed = JsonSerializer.Deserialize<JsonElement>(events[1].Data);
            Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("rejected"));
            Assert.That(failed.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("container_state_conflict"));
        });
    }

    [Test]
    public async Task GetContainer_Read_WritesNoEvent()
    {
        using var client = Factory.CreateAdminClient();

        using var response = await client.GetAsync(new Uri("/api/v1/containers/100", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var row = await Factory.WaitForOperationRowAsync(response);

        Assert.That(await EventsOfAsync(row.Id), Is.Empty);
    }

    [Test]
    public async Task InsertAsync_EventInsertFails_WritesNeitherRowNorEvent()
    {
        var store = Factory.Services.GetRequiredService<OperationLogStore>();
        var row = NewMutatingRow("outbox-insert");

        _fault.Armed = true;
        Assert.ThrowsAsync<DatabaseUnavailableException>(() => store.InsertAsync(row, idempotencyClaimId: null));
        _fault.Armed = false;
        var afterFailure = await RowsAndEventsAsync("outbox-insert");
        await store.InsertAsync(row, idempotencyClaimId: null);
        var afterRetry = await RowsAndEventsAsync("outbox-insert");
        store.CallEnded(row.Id);

        Assert.Multiple(() =>
        {
            Assert.That(_fault.Failures, Is.GreaterThan(0));
            Assert.That(afterFailure.Rows, Is.Empty);
            Assert.That(afterFailure.Events, Is.Empty);
            Assert.That(afterRetry.Rows, Has.Count.EqualTo(1));
            Assert.That(afterRetry.Events.Select(e => (e.Type, e.OperationId)), Is.EqualTo(new[] { (EventTypes.OperationStarted, (long?)afterRetry.Rows[0].Id) }));
            Assert.That(JsonSerializer.Deserialize<JsonElement>(afterRetry.Events[0].Data).GetProperty("id").GetInt64(), Is.EqualTo(afterRetry.Rows[0].Id));
        });
    }

    [Test]
    public async Task CompleteTaskAsync_EventInsertFails_LeavesTheRowRunningWithoutEndEvent()
    {
        var store = Factory.Services.GetRequiredService<OperationLogStore>();
        var row = NewMutatingRow("outbox-complete");
        await store.InsertAsync(row, idempotencyClaimId: null);
        store.CallEnded(row.Id);
        var end = OperationTaskEnd.Lost();

        _fault.Armed = true;
        Assert.CatchAsync(() => store.CompleteTaskAsync(row.Id, end, TimeProvider.System));
        _fault.Armed = false;
        var afterFailure = await RowsAndEventsAsync("outbox-complete");
        await store.CompleteTaskAsync(row.Id, end, TimeProvider.System);
        var afterRetry = await RowsAndEventsAsync("outbox-complete");

        Assert.Multiple(() =>
        {
            Assert.That(afterFailure.Rows.Single().Outcome, Is.EqualTo(OperationOutcome.Running));
            Assert.That(afterFailure.Events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted }));
            Assert.That(afterRetry.Rows.Single().Outcome, Is.EqualTo(OperationOutcome.Failed));
            Assert.That(afterRetry.Events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.OperationStarted, EventTypes.OperationFailed }));
        });
    }

    [Test]
    public async Task ReadAfterAsync_Filtered_ReturnsMatchingEventsInOrderAndAPositionPastTheSkippedOnes()
    {
        var store = Factory.Services.GetRequiredService<OperationLogStore>();
        var log = Factory.Services.GetRequiredService<IEventLog>();
        var before = await log.LatestIdAsync(CancellationToken.None);
        var first = NewMutatingRow("outbox-read-1", vmId: 4101);
        var second = NewMutatingRow("outbox-read-2", vmId: 4102);
        await store.InsertAsync(first, idempotencyClaimId: null);
        await store.InsertAsync(second, idempotencyClaimId: null);
        store.CallEnded(first.Id);
        store.CallEnded(second.Id);
        var latest = await log.LatestIdAsync(CancellationToken.None);

        var page = await log.ReadAfterAsync(before, 10, rows => rows.Where(e => e.VmId == 4101), CancellationToken.None);
        var limited = await log.ReadAfterAsync(before, 1, rows => rows, CancellationToken.None);
        var none = await log.ReadAfterAsync(latest, 10, rows => rows, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(page.Events.Select(e => e.OperationId), Is.EqualTo(new long?[] { first.Id }));
            Assert.That(page.Position, Is.EqualTo(latest));
            Assert.That(limited.Events, Has.Count.EqualTo(1));
            Assert.That(limited.Position, Is.EqualTo(limited.Events[0].Id));
            Assert.That(none.Events, Is.Empty);
            Assert.That(none.Position, Is.EqualTo(latest));
        });
    }

    [Test]
    public async Task ReadAfterAsync_RowVisibilityOfAnotherKey_HidesEventsOfOtherKeys()
    {
        var store = Factory.Services.GetRequiredService<OperationLogStore>();
        var log = Factory.Services.GetRequiredService<IEventLog>();
        var before = await log.LatestIdAsync(CancellationToken.None);
        var mine = NewMutatingRow("outbox-vis-1", vmId: 4201, keyId: "ownKeyAAAAAA");
        var theirs = NewMutatingRow("outbox-vis-2", vmId: 4202, keyId: "otherKeyBBBB");
        await store.InsertAsync(mine, idempotencyClaimId: null);
        await store.InsertAsync(theirs, idempotencyClaimId: null);
        store.CallEnded(mine.Id);
        store.CallEnded(theirs.Id);
        using var scope = Factory.Services.CreateScope();
        var visibility = scope.ServiceProvider.GetRequiredService<OperationVisibility>();
        var reader = new CallerIdentity("ownKeyAAAAAA", "own", new HashSet<string> { "containers:read" }, Domain.ApiKeys.KeyRestriction.None);
        var rule = await visibility.ForAsync(reader, CancellationToken.None);

        var page = await log.ReadAfterAsync(before, 10, rule.Apply, CancellationToken.None);

        Assert.That(page.Events.Select(e => e.OperationId), Is.EqualTo(new long?[] { mine.Id }));
    }

    private static OperationLog NewMutatingRow(string requestId, int vmId = 4000, string keyId = "outboxKey001")
    {
        var row = OperationLog.Begin(requestId, "POST", "/api/v1/containers/4000/start", "10.0.0.1", DateTimeOffset.UtcNow);
        row.SetCaller(keyId, "outbox");
        row.Describe("StartContainer", isMutating: true, "{}", vmId, node: "pve1");
        row.MarkStarted(DateTimeOffset.UtcNow);
        return row;
    }

    private async Task<List<ApiEvent>> EventsOfAsync(long operationId)
    {
        await using var db = Factory.NewDbContext();
        return await db.Events.AsNoTracking().Where(e => e.OperationId == operationId).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task<(List<OperationLog> Rows, List<ApiEvent> Events)> RowsAndEventsAsync(string requestId)
    {
        await using var db = Factory.NewDbContext();
        var rows = await db.OperationLogs.AsNoTracking().Where(o => o.RequestId == requestId).ToListAsync();
        var ids = rows.Select(r => (long?)r.Id).ToList();
        var events = await db.Events.AsNoTracking().Where(e => ids.Contains(e.OperationId)).OrderBy(e => e.Id).ToListAsync();
        return (rows, events);
    }

    /// <summary>While armed, every command that inserts into the event table fails as a database timeout would.</summary>
    private sealed class EventInsertFault : DbCommandInterceptor
    {
        private int _failures;
        private volatile bool _armed;

        public bool Armed
        {
            get => _armed;
            set => _armed = value;
        }

        public int Failures => _failures;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(command);
            if (_armed && command.CommandText.Contains("INSERT INTO \"Events\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _failures);
                throw new TimeoutException("Injected: the event insert timed out.");
            }

            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
