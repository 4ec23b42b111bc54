using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Domain.Events;
using ProxmoxLxc.Infrastructure.Events;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>
/// <see cref="EventAppender"/> records one <c>container.state</c> per change: a repeat of the container's last recorded
/// state is dropped — from the inventory always; from an operation only when the inventory recorded it after the
/// operation started (it saw the operation's own change first) — on every provider.
/// </summary>
public class ContainerStateDedupeTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task AppendAsync_InventorySawTheOperationsChangeFirst_OperationAddsNoSecondEvent()
    {
        await using var host = await StartHostAsync();
        await AppendAsync(host, Started(operationId: 7, vmId: 150));
        await AppendAsync(host, State(150, "running", operationId: null));

        var added = await AppendAsync(host, State(150, "running", operationId: 7));

        Assert.That(added, Is.Empty);
        Assert.That(await StatesAsync(host, 150), Is.EqualTo(new[] { "running" }));
    }

    [Test]
    public async Task AppendAsync_SameStateRecordedBeforeTheOperationStarted_TheOperationsChangeIsRecorded()
    {
        await using var host = await StartHostAsync();
        await AppendAsync(host, State(151, "running", operationId: null)); // seen running, then stopped unseen
        await AppendAsync(host, Started(operationId: 8, vmId: 151));

        var added = await AppendAsync(host, State(151, "running", operationId: 8));

        Assert.That(added, Has.Count.EqualTo(1));
        Assert.That(await StatesAsync(host, 151), Is.EqualTo(new[] { "running", "running" }));
    }

    [Test]
    public async Task AppendAsync_InventoryRepeatsTheLastStateOrAnotherContainersChanges_OnlyRealChangesRecorded()
    {
        await using var host = await StartHostAsync();
        await AppendAsync(host, State(152, "running", operationId: 9));

        var repeated = await AppendAsync(host, State(152, "running", operationId: null), State(153, "running", operationId: null));
        var changed = await AppendAsync(host, State(152, "stopped", operationId: null));

        Assert.Multiple(async () =>
        {
            Assert.That(repeated.Select(e => e.VmId), Is.EqualTo(new int?[] { 153 }), "another instance, or the operation, recorded 152 already");
            Assert.That(changed, Has.Count.EqualTo(1));
            Assert.That(await StatesAsync(host, 152), Is.EqualTo(new[] { "running", "stopped" }));
        });
    }

    private static ApiEvent Started(long operationId, int vmId) =>
        ApiEvent.Create(EventTypes.OperationStarted, Now, operationId, "key1", vmId, "pve1", null, "{}");

    private static ApiEvent State(int vmId, string status, long? operationId) =>
        ApiEvent.Create(EventTypes.ContainerState, Now, operationId, operationId is null ? null : "key1", vmId, "pve1", null,
            $$"""{"vmid":{{vmId}},"node":"pve1","status":"{{status}}","previousStatus":null,"source":"{{(operationId is null ? "inventory" : "operation")}}"}""");

    private static async Task<IReadOnlyList<ApiEvent>> AppendAsync(InfrastructureHost host, params ApiEvent[] events)
    {
        await using var db = host.NewContext();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var added = await EventAppender.AppendAsync(db, events, token);
            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return added;
        }, CancellationToken.None);
    }

    private static async Task<List<string>> StatesAsync(InfrastructureHost host, int vmId)
    {
        await using var db = host.NewContext();
        var data = await db.Events.AsNoTracking().Where(e => e.Type == EventTypes.ContainerState && e.VmId == vmId).OrderBy(e => e.Id)
            .Select(e => e.Data).ToListAsync();
        return [.. data.Select(d => Application.Events.ContainerStateEvents.StatusOf(d)!)];
    }
}
