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

    private static ContainerPlacement Placement(ClusterResources resources, KeyRestriction? restriction = null)
    {
        var gateway = new Mock<IProxmoxGateway>(MockBehavior.Strict);
        gateway.Setup(g => g.GetClusterResourcesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(resources);
        var caller = TestCallers.With(Scopes.ContainersWrite) with { Restriction = restriction ?? KeyRestriction.None };
        return new ContainerPlacement(gateway.Object, TestCallers.Current(caller));
    }

    [Test]
    public void EnsureAvailableAsync_IdHeldByQemuGuest_VmIdUnavailableNamingNothingElse()
    {
        var resources = new ClusterResources([Container(100, "pve1")], []) { UsedVmIds = new HashSet<int> { 100, 105 } };

        var ex = Assert.ThrowsAsync<ConflictException>(() => Placement(resources).EnsureAvailableAsync(105, null, "pool", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("vmid_unavailable"));
            Assert.That(ex.Message, Does.Not.Contain("pve1"));
        });
    }

    [Test]
    public void EnsureAvailableAsync_UnknownPool_422AtThePoolField()
    {
        var resources = new ClusterResources([], []) { Pools = ["web", "db"] };

        var ex = Assert.ThrowsAsync<RequestValidationException>(() => Placement(resources).EnsureAvailableAsync(null, "nosuch", "pool", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(422));
            Assert.That(ex.Errors.Keys, Is.EqualTo(new[] { "pool" }));
        });
    }

    [Test]
    public void EnsureAvailableAsync_ProxmoxListsNoPools_LeavesThePoolToProxmox()
    {
        var resources = new ClusterResources([], []);

        Assert.DoesNotThrowAsync(() => Placement(resources).EnsureAvailableAsync(200, "web", "pool", CancellationToken.None));
    }

    [Test]
    public async Task NextVmIdAsync_RestrictedRange_SkipsIdsHeldByAnyGuest()
    {
        var resources = new ClusterResources([Container(100, "pve1")], []) { UsedVmIds = new HashSet<int> { 100, 101 } };
        var placement = Placement(resources, new KeyRestriction([], [], new VmIdRange(100, 110)));

        var id = await placement.NextVmIdAsync(new HashSet<int>(), CancellationToken.None);

        Assert.That(id, Is.EqualTo(102));
    }
}
