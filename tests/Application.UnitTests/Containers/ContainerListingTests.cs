using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Containers.Queries.ListContainers;

namespace ProxmoxLxc.Application.UnitTests.Containers;

public sealed class ContainerListingTests
{
    private static readonly ClusterContainer[] Cluster =
    [
        Ct(205, "pve2", "running", "api-2", "web", ["prod", "api"]),
        Ct(100, "pve1", "running", "web1", "web", ["prod", "web"]),
        Ct(101, "pve2", "stopped", "db1", "db", ["prod", "db"]),
        Ct(102, "pve1", "stopped", "cache1", null, ["dev"]),
        Ct(1000, "pve1", "unknown", null, null, []),
    ];

    private static ClusterContainer Ct(int vmId, string node, string status, string? name, string? pool, string[] tags) => new()
    {
        VmId = vmId,
        Node = node,
        Status = status,
        Name = name,
        Pool = pool,
        Tags = tags,
        Cpu = 0.5,
        MaxCpu = 2,
    };

    private static int[] Ids(ListContainersQuery query) =>
        ContainerListing.Paginate(Cluster, query).Items.Select(i => i.VmId).ToArray();

    [Test]
    public void Paginate_NoFilter_OrdersByVmid()
    {
        Assert.That(Ids(new ListContainersQuery()), Is.EqualTo(new[] { 100, 101, 102, 205, 1000 }));
    }

    [Test]
    public void Paginate_Summary_ReportsCpuAsCoresInUse()
    {
        var item = ContainerListing.Paginate(Cluster, new ListContainersQuery(Limit: 1)).Items.Single();

        Assert.That((item.Cpus, item.Cpu), Is.EqualTo((2.0, 1.0)));
    }

    [TestCase(null, null, null, null, null, new[] { 100, 101, 102, 205, 1000 })]
    [TestCase("pve2", null, null, null, null, new[] { 101, 205 })]
    [TestCase(null, "stopped", null, null, null, new[] { 101, 102 })]
    [TestCase(null, "unknown", null, null, null, new[] { 1000 })]
    [TestCase(null, null, "web", null, null, new[] { 100, 205 })]
    [TestCase(null, null, null, "PROD", null, new[] { 100, 101, 205 })]
    [TestCase(null, null, null, "pro", null, new int[0])]
    [TestCase(null, null, null, null, "API", new[] { 205 })]
    [TestCase(null, null, null, null, "10", new[] { 100, 101, 102, 1000 })]
    [TestCase("pve1", "running", "web", "web", "web", new[] { 100 })]
    public void Paginate_Filters_CombineWithAnd(string? node, string? status, string? pool, string? tag, string? search, int[] expected)
    {
        Assert.That(Ids(new ListContainersQuery(node, status, pool, tag, search)), Is.EqualTo(expected));
    }

    [Test]
    public void Paginate_WalkingCursors_VisitsEveryMatchOnceWithoutGaps()
    {
        var seen = new List<int>();
        string? cursor = null;
        do
        {
            var page = ContainerListing.Paginate(Cluster, new ListContainersQuery(Limit: 2, Cursor: cursor));
            Assert.That(page.Items, Has.Count.InRange(1, 2));
            seen.AddRange(page.Items.Select(i => i.VmId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.That(seen, Is.EqualTo(new[] { 100, 101, 102, 205, 1000 }));
    }

    [Test]
    public void Paginate_ExactMultipleOfLimit_LastPageHasNoCursor()
    {
        var first = ContainerListing.Paginate(Cluster.Take(4), new ListContainersQuery(Limit: 2));
        var second = ContainerListing.Paginate(Cluster.Take(4), new ListContainersQuery(Limit: 2, Cursor: first.NextCursor));

        Assert.That(first.NextCursor, Is.Not.Null);
        Assert.That(second.Items.Select(i => i.VmId), Is.EqualTo(new[] { 102, 205 }));
        Assert.That(second.NextCursor, Is.Null);
    }

    [Test]
    public void Paginate_ContainerRemovedBetweenPages_ContinuesAfterTheCursor()
    {
        var first = ContainerListing.Paginate(Cluster, new ListContainersQuery(Limit: 2));
        var shrunk = Cluster.Where(c => c.VmId != 101 && c.VmId != 102);
        var second = ContainerListing.Paginate(shrunk, new ListContainersQuery(Limit: 2, Cursor: first.NextCursor));

        Assert.That(second.Items.Select(i => i.VmId), Is.EqualTo(new[] { 205, 1000 }));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("Y3QxLmFiYw")] // "ct1.abc"
    [TestCase("b3RoZXIuMTAw")] // "other.100"
    public void TryDecode_Garbage_IsRejected(string value)
    {
        Assert.That(ContainerCursor.TryDecode(value, out _), Is.False);
    }

    [Test]
    public void Cursor_RoundTrips()
    {
        var encoded = new ContainerCursor(123456).Encode();

        Assert.That(ContainerCursor.TryDecode(encoded, out var decoded), Is.True);
        Assert.That(decoded.LastVmId, Is.EqualTo(123456));
    }
}
