using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>Server-sent events against the real service, only through the client's <see cref="EventsClient.ListenAsync"/>.</summary>
[TestFixtureSource(typeof(ServiceProcess), nameof(ServiceProcess.Providers))]
public sealed class EventsClientTests(string provider) : ServiceFixture(provider)
{
    private const string Wait = "wait=60";

    [Test]
    public async Task ListenAsync_ReplayThenResumeAfterLastId_YieldsTypedEventsInOrderOnce()
    {
        var containers = Admin.Create<ContainersClient>();
        var events = Admin.Create<EventsClient>();
        var started = await containers.StartAsync(102, prefer: Wait);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var replayed = await TakeAsync(events.ListenAsync(vmid: 102, lastEventId: 0, cancellationToken: bound.Token), 3);
        var stopped = await containers.StopAsync(102, prefer: Wait);
        var resumed = await TakeAsync(events.ListenAsync(vmid: 102, lastEventId: replayed[^1].Id, cancellationToken: bound.Token), 3);

        Assert.Multiple(() =>
        {
            Assert.That(replayed.Select(e => e.Type), Is.EqualTo(new[] { "operation.started", "operation.succeeded", "container.state" }));
            Assert.That(replayed[1].Operation?.Id, Is.EqualTo(started.Id));
            Assert.That(replayed[1].Operation?.Status, Is.EqualTo("succeeded"));
            Assert.That(replayed[2].ContainerState, Is.EqualTo(new ContainerStateChange(102, "pve1", "running", "stopped", "operation")));
            Assert.That(resumed.Select(e => e.Operation?.Id ?? stopped.Id), Is.All.EqualTo(stopped.Id));
            Assert.That(resumed[2].ContainerState?.Status, Is.EqualTo("stopped"));
            Assert.That(replayed.Concat(resumed).Select(e => e.Id), Is.Ordered.Ascending.And.Unique);
        });
    }

    [Test]
    public async Task ListenAsync_KeyRevokedWhileListening_ReconnectsAndEndsWith401()
    {
        var keys = Admin.Create<KeysClient>();
        var created = await keys.CreateAsync(new CreateApiKeyCommand { Name = "e2e-events", Scopes = ["containers:read"] });
        using var asKey = Service.Clients(created.Key);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = TakeAsync(asKey.Create<EventsClient>().ListenAsync(cancellationToken: bound.Token), 1);

        await Task.Delay(500);
        await keys.RevokeAsync(created.Metadata.Id);

        var refused = Assert.ThrowsAsync<ProxmoxLxcApiException>(async () => await listening);
        Assert.That(refused!.StatusCode, Is.EqualTo(401));
    }

    private static async Task<List<ReceivedEvent>> TakeAsync(IAsyncEnumerable<ReceivedEvent> stream, int count)
    {
        var taken = new List<ReceivedEvent>();
        await foreach (var e in stream)
        {
            taken.Add(e);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }
}
