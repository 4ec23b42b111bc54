using System.Text.Json;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Events;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Application.UnitTests.Events;

public sealed class ContainerStateEventsTests
{
    private static readonly DateTimeOffset Earlier = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Between_StatusChanged_OneInventoryEventWithBothStatesAndNoKey()
    {
        var previous = View(Earlier, Ct(100, "running", pool: "web"), Ct(101, "stopped"));
        var current = View(Earlier.AddSeconds(5), Ct(100, "stopped", pool: "web"), Ct(101, "stopped"));

        var events = ContainerStateEvents.Between(previous, current);

        Assert.That(events, Has.Count.EqualTo(1));
        var e = events[0];
        Assert.Multiple(() =>
        {
            Assert.That(e.Type, Is.EqualTo(EventTypes.ContainerState));
            Assert.That(e.VmId, Is.EqualTo(100));
            Assert.That(e.Node, Is.EqualTo("pve1"));
            Assert.That(e.Pool, Is.EqualTo("web"));
            Assert.That(e.OperationId, Is.Null);
            Assert.That(e.KeyId, Is.Null);
            Assert.That(e.OccurredAt, Is.EqualTo(current.FetchedAt));
            Assert.That(e.Data, Is.EqualTo("""{"vmid":100,"node":"pve1","status":"stopped","previousStatus":"running","source":"inventory"}"""));
            Assert.That(ContainerStateEvents.StatusOf(e.Data), Is.EqualTo("stopped"));
        });
    }

    [Test]
    public void Between_UnknownAppearedOrRemoved_NoEvents()
    {
        var previous = View(Earlier, Ct(100, "running"), Ct(101, "stopped"), Ct(102, "unknown"));
        var current = View(Earlier.AddSeconds(5), Ct(100, "unknown"), Ct(102, "running"), Ct(103, "running"));

        Assert.That(ContainerStateEvents.Between(previous, current), Is.Empty,
            "unknown is no state of the container (node unreachable); 101 was deleted and 103 created, not changed");
    }

    [Test]
    public void StatusOf_DataWithoutStatus_Null()
    {
        Assert.That(ContainerStateEvents.StatusOf(JsonSerializer.Serialize(new { vmid = 100 })), Is.Null);
    }

    private static ClusterContainer Ct(int vmId, string status, string? pool = null) =>
        new() { VmId = vmId, Node = "pve1", Status = status, Pool = pool };

    private static InventoryView View(DateTimeOffset at, params ClusterContainer[] containers) => new(containers, [], at);
}
