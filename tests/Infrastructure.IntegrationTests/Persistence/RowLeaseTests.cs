using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Leasing;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>Row leases: the conditional UPDATE decides between instances on every provider.</summary>
public class RowLeaseTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task TryClaimAsync_TwoInstancesClaimTheSameFreeRowsAtOnce_EachRowHeldByExactlyOne()
    {
        await using var host = await StartHostAsync();
        var ids = await SeedRunningAsync(host, 20);
        var clock = new ManualTimeProvider(Now);
        var a = Leases("a", clock);
        var b = Leases("b", clock);

        async Task<List<long>> ClaimAllAsync(RowLeases leases)
        {
            var won = new List<long>();
            await using var db = host.NewContext();
            foreach (var id in ids)
            {
                if (await leases.TryClaimAsync(db.OperationLogs, id, CancellationToken.None))
                {
                    won.Add(id);
                }
            }

            return won;
        }

        var results = await Task.WhenAll(Task.Run(() => ClaimAllAsync(a)), Task.Run(() => ClaimAllAsync(b)));

        var owners = await OwnersAsync(host);
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Intersect(results[1]), Is.Empty, "no row claimed by both");
            Assert.That(results[0].Union(results[1]), Is.EquivalentTo(ids), "every free row claimed by one");
            Assert.That(results[0].All(id => owners[id] == a.Owner) && results[1].All(id => owners[id] == b.Owner), Is.True);
        });
    }

    [Test]
    public async Task TryClaimAsync_HeldThenRunOut_RefusedWhileHeldAndTakenOverAfter()
    {
        await using var host = await StartHostAsync();
        var id = (await SeedRunningAsync(host, 1))[0];
        var clockA = new ManualTimeProvider(Now);
        var clockB = new ManualTimeProvider(Now);
        var a = Leases("a", clockA);
        var b = Leases("b", clockB);
        await using var db = host.NewContext();

        Assert.That(await a.TryClaimAsync(db.OperationLogs, id, CancellationToken.None), Is.True);
        clockB.Now = Now + TimeSpan.FromSeconds(14);
        Assert.That(await b.TryClaimAsync(db.OperationLogs, id, CancellationToken.None), Is.False, "A's 15 s lease still runs");

        clockA.Now = Now + TimeSpan.FromSeconds(5);
        Assert.That(await a.RenewAsync(db.OperationLogs, [id], CancellationToken.None), Is.EquivalentTo(new[] { id }));
        clockB.Now = Now + TimeSpan.FromSeconds(19);
        Assert.That(await b.TryClaimAsync(db.OperationLogs, id, CancellationToken.None), Is.False, "renewed until 20 s");

        clockB.Now = Now + TimeSpan.FromSeconds(21);
        Assert.That(await b.TryClaimAsync(db.OperationLogs, id, CancellationToken.None), Is.True, "run out: taken over");
        Assert.Multiple(async () =>
        {
            Assert.That(await a.RenewAsync(db.OperationLogs, [id], CancellationToken.None), Is.Empty, "A learns it lost the row");
            Assert.That((await OwnersAsync(host))[id], Is.EqualTo(b.Owner));
        });

        await a.ReleaseAsync(db.OperationLogs, id);
        Assert.That((await OwnersAsync(host))[id], Is.EqualTo(b.Owner), "only the holder releases");
        await b.ReleaseAsync(db.OperationLogs, id);
        Assert.Multiple(async () =>
        {
            Assert.That((await OwnersAsync(host))[id], Is.Null);
            Assert.That(await a.TryClaimAsync(db.OperationLogs, id, CancellationToken.None), Is.True, "a released row is free at once");
        });
    }

    private static RowLeases Leases(string name, TimeProvider time) =>
        new(new InstanceIdentity(Options.Create(new InstanceOptions { Id = name })), Options.Create(new LeaseOptions()), time);

    private static async Task<List<long>> SeedRunningAsync(InfrastructureHost host, int count)
    {
        await using var db = host.NewContext();
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var row = OperationLog.Begin($"lease-{i}", "POST", "/api/v1/containers/101/start", null, Now);
            row.Describe("StartContainer", isMutating: true, "{}", 101, "pve1");
            // One task per row: a UPID is followed by one operation (unique index).
            row.AttachTask($"UPID:pve1:{i:X8}:00000001:00000001:vzstart:101:root@pam:", "pve1");
            return row;
        }).ToList();
        db.OperationLogs.AddRange(rows);
        await db.SaveChangesAsync();
        return [.. rows.Select(r => r.Id)];
    }

    private static async Task<Dictionary<long, string?>> OwnersAsync(InfrastructureHost host)
    {
        await using var db = host.NewContext();
        var owners = await db.OperationLogs.AsNoTracking()
            .Select(o => new { o.Id, Owner = EF.Property<string?>(o, RowLeases.OwnerColumn) })
            .ToListAsync();
        return owners.ToDictionary(o => o.Id, o => o.Owner);
    }
}
