using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// A batch power action through the generated client (<c>ContainersClient.BatchStartAsync</c>) against real service
/// processes and a standalone emulator: pool <c>db</c> holds 101 (seed) and 201–203; the key's range (100–202) hides 203;
/// 201 carries a backup lock. The batch's events reach a listener on the other instance through
/// <see cref="EventsClient.ListenAsync"/>.
/// </summary>
public sealed class BatchActionClientTests : MultiInstanceFixture
{
    private const string Wait = "wait=60";
    private ProxmoxLxcClientFactory _restricted = null!;

    protected override ServiceInstancesOptions Options => new() { Count = 2 };

    [OneTimeSetUp]
    public async Task CreatePoolAndKeyAsync()
    {
        using var admin = Instances[0].Clients();
        var containers = admin.Create<ContainersClient>();
        foreach (var vmid in new[] { 201, 202, 203 })
        {
            var created = await containers.CreateAsync(new CreateContainerCommand
            {
                Vmid = vmid,
                Node = "pve1",
                Hostname = $"e2e-batch{vmid}",
                Pool = "db",
                Template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
                Cores = 1,
                MemoryMiB = 256,
                SwapMiB = 128,
                Rootfs = new RootFsInput { Storage = "local-lvm", SizeGiB = 2 },
                Networks = [new NetworkInput { Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
            }, prefer: Wait);
            Assert.That(created.Status, Is.EqualTo("succeeded"), $"create {vmid}");
        }

        var key = await admin.Create<KeysClient>().CreateAsync(new CreateApiKeyCommand
        {
            Name = "e2e-batch-restricted",
            Scopes = ["containers:power", "containers:read"],
            VmidRange = new VmIdRangeDto { Min = 100, Max = 202 },
        });
        _restricted = Instances[0].Clients(key.Key);
    }

    [OneTimeTearDown]
    public void DisposeClients() => _restricted?.Dispose();

    [Test]
    public async Task BatchStartAsync_PoolWithLockedAndInvisibleContainer_PreferWaitGivesItemsAndSummary()
    {
        await Instances.Emulator.SetLockAsync(201, "backup");
        try
        {
            var batch = await _restricted.Create<ContainersClient>().BatchStartAsync(
                new BatchStartCommand { Selector = new BatchSelector { Pool = "db" }, MaxParallel = 2 }, prefer: Wait);

            Assert.Multiple(async () =>
            {
                Assert.That(batch.Action, Is.EqualTo("BatchStart"));
                Assert.That(batch.Status, Is.EqualTo("succeeded"), "every item ended");
                Assert.That(batch.Items!.Select(i => i.Vmid), Is.EqualTo(new[] { 101, 201, 202 }), "203 is outside the key's range");
                Assert.That(batch.Items!.Select(i => i.Status), Is.EqualTo(new[] { "succeeded", "rejected", "succeeded" }));
                Assert.That(batch.Items![1].Error?.Code, Is.EqualTo("container_state_conflict"));
                Assert.That(batch.Items!.Select(i => i.OperationId), Is.All.Not.Null);
                Assert.That((batch.Summary!.Total, batch.Summary.Succeeded, batch.Summary.Failed), Is.EqualTo((3, 2, 1)));
                Assert.That(await Instances.Emulator.ContainerStatusAsync("pve2", 101), Is.EqualTo("running"));
                Assert.That(await Instances.Emulator.ContainerStatusAsync("pve1", 201), Is.EqualTo("stopped"));
                Assert.That(await Instances.Emulator.ContainerStatusAsync("pve1", 202), Is.EqualTo("running"));
                Assert.That(await Instances.Emulator.ContainerStatusAsync("pve1", 203), Is.EqualTo("stopped"));
            });
            var locked = await _restricted.Create<OperationsClient>().GetAsync(batch.Items![1].OperationId!.Value);
            Assert.That(locked.Error?.Code, Is.EqualTo("container_locked"), "the item's own operation keeps Proxmox's precise reason");
        }
        finally
        {
            await Instances.Emulator.SetLockAsync(201, null);
            await StopAsync(101, 202);
        }
    }

    [Test]
    public async Task ListenAsync_BatchStopOnOneInstance_EventsOfTheBatchAndItsItemsReachAListenerOnTheOther()
    {
        using var admin = Instances[1].Clients();
        var started = await _restricted.Create<ContainersClient>().BatchStartAsync(new BatchStartCommand { Vmids = [101, 202] }, prefer: Wait);
        Assert.That(started.Summary!.Succeeded, Is.EqualTo(2));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var listener = admin.Create<EventsClient>();

        var batch = await _restricted.Create<ContainersClient>().BatchStopAsync(new BatchStopCommand { Vmids = [101, 202, 4242] }, prefer: Wait);
        // From the first event on (replay, then live): the listener runs on the instance that did not run the batch.
        var events = await TakeUntilAsync(listener.ListenAsync(lastEventId: 0, cancellationToken: bound.Token),
            e => e.Type == "operation.succeeded" && e.Operation?.Id == batch.Id);

        var ofBatch = events.Where(e => e.Operation?.Id == batch.Id).ToList();
        var children = batch.Items!.Where(i => i.OperationId is not null).Select(i => i.OperationId!.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ofBatch.Select(e => e.Type), Is.EqualTo(new[] { "operation.started", "operation.succeeded" }));
            Assert.That(ofBatch[1].Operation!.Summary!.Failed, Is.EqualTo(1), "4242 is unknown: container_not_found");
            Assert.That(ofBatch[1].Operation!.Items!.Select(i => i.Status), Is.EqualTo(new[] { "succeeded", "succeeded", "rejected" }));
            Assert.That(events.Where(e => e.Type == "operation.succeeded" && children.Contains(e.Operation!.Id)).Select(e => e.Operation!.Vmid),
                Is.EquivalentTo(new int?[] { 101, 202 }), "each item's own operation is an event too");
            Assert.That(events.Where(e => e.ContainerState is { Status: "stopped", Source: "operation" } && e.Id > ofBatch[0].Id)
                .Select(e => e.ContainerState!.VmId), Is.EquivalentTo(new[] { 101, 202 }));
        });
    }

    private async Task StopAsync(params int[] vmids)
    {
        using var admin = Instances[0].Clients();
        await admin.Create<ContainersClient>().BatchStopAsync(new BatchStopCommand { Vmids = vmids }, prefer: Wait);
    }

    private static async Task<List<ReceivedEvent>> TakeUntilAsync(IAsyncEnumerable<ReceivedEvent> stream, Func<ReceivedEvent, bool> last)
    {
        var taken = new List<ReceivedEvent>();
        await foreach (var e in stream)
        {
            taken.Add(e);
            if (last(e))
            {
                break;
            }
        }

        return taken;
    }
}
