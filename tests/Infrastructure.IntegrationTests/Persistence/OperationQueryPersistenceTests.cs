using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Application.Operations.Queries.ListOperations;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>GET /operations' keyset cursor and time filters, translated by every provider.</summary>
public class OperationQueryPersistenceTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    [Test]
    public async Task ListOperations_PagedByCursor_ReturnsEveryRowOnceNewestFirst()
    {
        await using var host = await StartHostAsync();
        // Ties on the time (broken by id), neighbours a microsecond apart, and times given at other offsets.
        DateTimeOffset[] times =
        [
            T0, T0, T0 + Microsecond, T0 - Microsecond, T0, T0.AddMilliseconds(1), T0.AddSeconds(-1),
            T0.AddHours(1).ToOffset(TimeSpan.FromHours(2)), T0.ToOffset(TimeSpan.FromHours(-5)), T0.AddDays(-3),
        ];
        var seeded = await SeedAsync(host, times);
        var expected = seeded.OrderByDescending(o => o.RequestedAt).ThenByDescending(o => o.Id).Select(o => o.Id).ToList();

        var paged = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(host, new ListOperationsQuery(Limit: 3, Cursor: cursor));
            paged.AddRange(page.Items.Select(o => o.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Multiple(() =>
        {
            Assert.That(paged, Is.EqualTo(expected), "pages must continue exactly where the previous one ended, in (time, id) order");
            Assert.That(pages, Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ListOperations_FromAndTo_IncludeFromAndExcludeToAtMicrosecondBoundaries()
    {
        await using var host = await StartHostAsync();
        var to = T0.AddHours(1);
        var seeded = await SeedAsync(host, [T0 - Microsecond, T0, T0.AddMilliseconds(1), to - Microsecond, to, to.AddDays(1)]);

        // The bounds arrive at other offsets than the stored UTC values.
        var page = await ListAsync(host, new ListOperationsQuery(
            From: T0.ToOffset(TimeSpan.FromHours(2)), To: to.ToOffset(TimeSpan.FromHours(-7)), Limit: 100));

        Assert.Multiple(() =>
        {
            Assert.That(page.Items.Select(o => o.Id), Is.EqualTo(new[] { seeded[3].Id, seeded[2].Id, seeded[1].Id }));
            Assert.That(page.Items.Select(o => o.RequestedAt), Is.EqualTo(new[] { to - Microsecond, T0.AddMilliseconds(1), T0 }));
            Assert.That(page.Items.Select(o => o.RequestedAt.Offset), Is.All.EqualTo(TimeSpan.Zero), "times come back as UTC");
        });
    }

    [Test]
    public async Task ListOperations_CursorAndFilters_AreAppliedTogether()
    {
        await using var host = await StartHostAsync();
        var seeded = await SeedAsync(host, [T0, T0, T0, T0.AddMinutes(1), T0.AddMinutes(2)], vmIds: [101, 202, 101, 101, 101]);

        var first = await ListAsync(host, new ListOperationsQuery(VmId: 101, To: T0.AddMinutes(2), Limit: 2));
        var second = await ListAsync(host, new ListOperationsQuery(VmId: 101, To: T0.AddMinutes(2), Limit: 2, Cursor: first.NextCursor));

        Assert.Multiple(() =>
        {
            Assert.That(first.Items.Select(o => o.Id), Is.EqualTo(new[] { seeded[3].Id, seeded[2].Id }));
            Assert.That(second.Items.Select(o => o.Id), Is.EqualTo(new[] { seeded[0].Id }));
            Assert.That(second.NextCursor, Is.Null);
        });
    }

    private static async Task<List<OperationLog>> SeedAsync(InfrastructureHost host, DateTimeOffset[] times, int[]? vmIds = null)
    {
        await using var db = host.NewContext();
        var rows = times.Select((at, i) =>
        {
            var row = OperationLog.Begin($"r{i}", "POST", "/api/v1/containers", null, at);
            row.Describe("StartContainer", isMutating: true, """{"note":"żółw ✓"}""", vmIds?[i] ?? 100 + i, "pve1");
            return row;
        }).ToList();
        db.OperationLogs.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    }

    private static async Task<Page<OperationDto>> ListAsync(InfrastructureHost host, ListOperationsQuery query)
    {
        await using var db = host.NewContext();
        return await new ListOperationsQueryHandler(db, new OperationVisibility(TestCallers.Admin(), new Moq.Mock<ProxmoxLxc.Application.Common.Proxmox.IClusterInventory>(Moq.MockBehavior.Strict).Object)).Handle(query, CancellationToken.None);
    }
}
