using Moq;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Containers;
using ProxmoxLxc.Application.UnitTests.Common;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.UnitTests.Containers;

[TestFixture]
public sealed class ContainerPlacementTests
{
    private static ClusterContainer Container(int vmId, string node, string? pool = null) =>
        new() { VmId = vmId, Node = node, Status = "stopped", Pool = pool };

    private static InventoryView View(ClusterContainer[] containers, IReadOnlySet<int>? otherGuests = null, string[]? pools = null) =>
        new(containers, [], DateTimeOffset.UnixEpoch) { OtherGuestIds = otherGuests ?? new HashSet<int>(), Pools = pools ?? [] };

    /// <summary>A placement that reads only the inventory view (a strict gateway mock: any Proxmox call fails the test).</summary>
    private static ContainerPlacement Placement(InventoryView view, KeyRestriction? restriction = null)
    {
        var inventory = new Mock<IClusterInventory>(MockBehavior.Strict);
        inventory.Setup(i => i.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(view);
        var gateway = new Mock<IProxmoxGateway>(MockBehavior.Strict);
        var caller = TestCallers.With(Scopes.ContainersWrite) with { Restriction = restriction ?? KeyRestriction.None };
        return new ContainerPlacement(inventory.Object, gateway.Object, TestCallers.Current(caller));
    }

    [Test]
    public void EnsureAvailableAsync_IdHeldByQemuGuest_VmIdUnavailableNamingNothingElse()
    {
        var view = View([Container(100, "pve1")], otherGuests: new HashSet<int> { 105 });

        var ex = Assert.ThrowsAsync<ConflictException>(() => Placement(view).EnsureAvailableAsync(105, null, "pool", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("vmid_unavailable"));
            Assert.That(ex.Message, Does.Not.Contain("pve1"));
        });
    }

    [Test]
    public void EnsureAvailableAsync_UnknownPool_422AtThePoolField()
    {
        var view = View([], pools: ["web", "db"]);

        var ex = Assert.ThrowsAsync<RequestValidationException>(() => Placement(view).EnsureAvailableAsync(null, "nosuch", "pool", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(422));
            Assert.That(ex.Errors.Keys, Is.EqualTo(new[] { "pool" }));
        });
    }

    [Test]
    public void EnsureAvailableAsync_ProxmoxListsNoPools_LeavesThePoolToProxmox()
    {
        var view = View([]);

        Assert.DoesNotThrowAsync(() => Placement(view).EnsureAvailableAsync(200, "web", "pool", CancellationToken.None));
    }

    [Test]
    public async Task NextVmIdAsync_RestrictedRange_SkipsIdsHeldByAnyGuest()
    {
        var view = View([Container(100, "pve1")], otherGuests: new HashSet<int> { 101 });
        var placement = Placement(view, new KeyRestriction([], [], new VmIdRange(100, 110)));

        var id = await placement.NextVmIdAsync(new HashSet<int>(), CancellationToken.None);

        Assert.That(id, Is.EqualTo(102));
    }
}
