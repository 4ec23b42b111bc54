using CsCheck;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.UnitTests.Containers;

/// <summary><see cref="InventoryView.WithChanges"/>: the merged view equals the one built from scratch.</summary>
public class InventoryViewTests
{
    private static readonly DateTimeOffset FetchedAt = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    private static ClusterContainer Container(int vmId, string node) => new() { VmId = vmId, Node = node, Status = "running" };

    private static readonly Gen<int[]> ExistingIds = Gen.Int[100, 200].Array[0, 60].Select(ids => ids.Distinct().Order().ToArray());

    /// <summary>A change to an id in and around the existing range: a container on a node, or null (removed).</summary>
    private static readonly Gen<(int VmId, string? Node)> Change =
        Gen.Select(Gen.Int[95, 205], Gen.Int[0, 2].Select(n => n switch { 0 => "pve1", 1 => "pve2", _ => (string?)null }));

    [Test]
    public void WithChanges_AnyChanges_EqualsTheViewBuiltFromScratch()
    {
        Gen.Select(ExistingIds, Change.Array[0, 12]).Sample((ids, changes) =>
        {
            var view = new InventoryView([.. ids.Select(id => Container(id, "old"))], [], FetchedAt)
            {
                OtherGuestIds = new HashSet<int> { 300 },
                Pools = ["prod"],
            };
            var last = new Dictionary<int, ClusterContainer?>();
            foreach (var (vmId, node) in changes)
            {
                last[vmId] = node is null ? null : Container(vmId, node);
            }

            var expected = new SortedDictionary<int, ClusterContainer>(view.Containers.ToDictionary(c => c.VmId));
            foreach (var (vmId, container) in last)
            {
                if (container is null)
                    expected.Remove(vmId);
                else
                    expected[vmId] = container;
            }

            var merged = view.WithChanges(last);

            Assert.That(merged.Containers, Is.EqualTo(expected.Values.ToList()));
            for (var id = 95; id <= 205; id++)
            {
                Assert.That(merged.Find(id), Is.EqualTo(expected.GetValueOrDefault(id)), $"vmid {id}");
                Assert.That(view.Find(id), Is.EqualTo(ids.Contains(id) ? Container(id, "old") : null), $"original view, vmid {id}");
            }

            Assert.That(view.Containers.Select(c => c.VmId), Is.EqualTo(ids), "the original view is unchanged");
            Assert.That(merged.FetchedAt, Is.EqualTo(FetchedAt));
            Assert.That(merged.OtherGuestIds, Is.SameAs(view.OtherGuestIds));
            Assert.That(merged.Pools, Is.SameAs(view.Pools));
            Assert.That(merged.IsVmIdUsed(300), Is.True);
        }, iter: 500);
    }

    [Test]
    public void WithChanges_NoChanges_ReturnsTheSameView()
    {
        var view = new InventoryView([Container(100, "pve1")], [], FetchedAt);

        Assert.That(view.WithChanges(new Dictionary<int, ClusterContainer?>()), Is.SameAs(view));
    }
}
