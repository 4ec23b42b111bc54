using System.Text.RegularExpressions;
using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;
using ProxmoxLxc.Faults.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// Three instances of the built service on one PostgreSQL database and one standalone emulator, with the default
/// lease settings (15 s leases, scans every 10 s): what one instance does is seen by the others; a killed instance's
/// operations are completed by another; idempotency holds across them.
/// </summary>
public sealed class MultiInstanceTests : MultiInstanceFixture
{
    private static readonly TimeSpan CreateTask = TimeSpan.FromSeconds(8);

    protected override ServiceInstancesOptions Options => new()
    {
        TaskDurations = new Dictionary<string, TimeSpan> { ["vzcreate"] = CreateTask },
    };

    [Test]
    public async Task Key_CreatedOnOneInstance_WorksOnAnother()
    {
        using var onA = Instances[0].Clients();
        var created = await onA.Create<KeysClient>().CreateAsync(new CreateApiKeyCommand { Name = "multi-reader", Scopes = ["containers:read"] });

        using var onB = Instances[1].Clients(created.Key);
        var nodes = await onB.Create<NodesClient>().ListAsync();
        Assert.That(nodes.Items.Select(n => n.Node), Does.Contain("pve1"));
    }

    [Test]
    public async Task Create_InstanceKilledWhileTaskRuns_AnotherInstanceCompletesItOnce()
    {
        var (a, b, c) = (Instances[0], Instances[1], Instances[2]);
        using var onA = a.Clients();
        var creates = await Instances.Emulator.CountAsync("POST", "/nodes/pve1/lxc");
        var started = await onA.Create<ContainersClient>().CreateAsync(Body("multi-killed"));
        Assert.That(started.Status, Is.EqualTo("running"));

        await a.KillAsync();
        var killedAt = DateTime.UtcNow;
        using var onB = b.Clients();
        // The lease (15 s) runs out, then the next scan of B or C (every 10 s) claims the row: well within 15 + 30 s.
        var done = await Poll.UntilAsync(async () =>
        {
            var operation = await onB.Create<OperationsClient>().GetAsync(started.Id);
            return operation.Status == "running" ? null : operation;
        }, TimeSpan.FromSeconds(45), $"operation {started.Id} to be completed by B or C", () => b.Output + c.Output);

        var completions = Regex.Count(b.Output + c.Output, $@"Operation {started.Id} \(CreateContainer\) finished: [^;]*; completed by instance");
        Assert.Multiple(async () =>
        {
            Assert.That(done.Status, Is.EqualTo("succeeded"), done.Error?.Message);
            Assert.That(DateTime.UtcNow - killedAt, Is.LessThan(TimeSpan.FromSeconds(45)));
            Assert.That(completions, Is.EqualTo(1), "one completion, by one instance");
            Assert.That(await Instances.Emulator.CountAsync("POST", "/nodes/pve1/lxc"), Is.EqualTo(creates + 1), "Proxmox saw the create once");
            Assert.That(await Instances.Emulator.TasksAsync("pve1", started.Vmid!.Value, "vzcreate"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Create_SameIdempotencyKeySentToAllInstancesAtOnce_OneContainer()
    {
        var creates = await Instances.Emulator.CountAsync("POST", "/nodes/pve1/lxc");
        var clients = Instances.Instances.Select(i => i.Clients()).ToList();
        try
        {
            var operations = await Task.WhenAll(clients.Concat(clients).Select(c =>
                c.Create<ContainersClient>().CreateAsync(Body("multi-idem"), idempotencyKey: "multi-create-1")));

            Assert.That(operations.Select(o => o.Id).Distinct().Count(), Is.EqualTo(1), "every duplicate answers the first Operation");
            Assert.That(await Instances.Emulator.CountAsync("POST", "/nodes/pve1/lxc"), Is.EqualTo(creates + 1), "one Proxmox create");
            var containers = await Instances.Emulator.ApiGetAsync("nodes/pve1/lxc");
            Assert.That(containers!.AsArray().Count(c => c!["name"]?.GetValue<string>() == "multi-idem"), Is.EqualTo(1));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static CreateContainerCommand Body(string hostname) => new()
    {
        Node = "pve1",
        Hostname = hostname,
        Template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        Cores = 1,
        MemoryMiB = 512,
        SwapMiB = 256,
        Rootfs = new RootFsInput { Storage = "local-lvm", SizeGiB = 4 },
        Networks = [new NetworkInput { Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
    };
}
