using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using ProxmoxLxc.Application.Common.Behaviors;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Containers.Commands.StopContainer;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.Domain.ApiKeys;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Persistence;

/// <summary>The Idempotency-Key claim: the unique index decides between concurrent requests on every provider.</summary>
public class IdempotencyPersistenceTests(DatabaseProvider provider) : ProviderMatrixFixture(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly CallerIdentity Caller = new("idemCaller01", "idem", Scopes.Expand([Scopes.Admin]), KeyRestriction.None);

    [Test]
    public async Task Handle_TwoRequestsClaimTheSameKeyAtOnce_OneRunsAndTheOtherReplaysIt()
    {
        await using var host = await StartHostAsync();
        var claimStore = host.Services.GetRequiredService<IIdempotencyClaims>();
        var store = host.Services.GetRequiredService<IOperationLogStore>();
        // Both requests have read "no claim yet" before either inserts one, so one insert must hit the unique index.
        using var bothRead = new Barrier(2);
        var runs = 0;
        var operationId = 0L;

        async Task<OperationDto> SendAsync()
        {
            await using var db = host.NewContext();
            long? claimId = null;
            var recorder = new Mock<IOperationRecorder>();
            recorder.Setup(r => r.UnderClaim(It.IsAny<long>())).Callback<long>(id => claimId = id);
            var behavior = new IdempotencyBehavior<StopContainerCommand, OperationDto>(
                db, claimStore, CallerOf(Caller), recorder.Object, new ClaimBarrierClock(bothRead));
            return await behavior.Handle(new StopContainerCommand(101) { IdempotencyKey = "same-key" }, async (_, ct) =>
            {
                // The operation row's first write, as the recorder does it: it links the claim in the same transaction.
                Interlocked.Increment(ref runs);
                var row = NewStopRow("first");
                await store.InsertAsync(row, claimId);
                operationId = row.Id;
                return row.ToDto();
            }, CancellationToken.None);
        }

        var results = await Task.WhenAll(Task.Run(SendAsync), Task.Run(SendAsync));

        await using var check = host.NewContext();
        var claims = await check.IdempotencyRecords.AsNoTracking().ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(1), "exactly one request may act");
            Assert.That(results.Select(r => r.Id), Is.All.EqualTo(operationId));
            Assert.That(claims, Has.Count.EqualTo(1));
            Assert.That(claims[0].OperationId, Is.EqualTo(operationId));
        });
    }

    [Test]
    public async Task SaveChanges_DuplicateClaim_IsRejectedByTheUniqueIndex()
    {
        await using var host = await StartHostAsync();
        await using (var db = host.NewContext())
        {
            db.IdempotencyRecords.Add(IdempotencyRecord.Claim("idemCaller01", "k", "h1", "StopContainer", Now));
            await db.SaveChangesAsync();
        }

        await using var second = host.NewContext();
        second.IdempotencyRecords.Add(IdempotencyRecord.Claim("idemCaller01", "k", "h2", "StopContainer", Now));
        second.IdempotencyRecords.Add(IdempotencyRecord.Claim("idemCaller01", "K", "h3", "StopContainer", Now));

        Assert.That(async () => await second.SaveChangesAsync(), Throws.InstanceOf<DbUpdateException>());
        second.ChangeTracker.Clear();
        second.IdempotencyRecords.Add(IdempotencyRecord.Claim("idemCaller01", "K", "h3", "StopContainer", Now));
        await second.SaveChangesAsync();
        Assert.That(await second.IdempotencyRecords.CountAsync(), Is.EqualTo(2), "keys differing only in case are different keys");
    }

    private static OperationLog NewStopRow(string requestId)
    {
        var operation = OperationLog.Begin(requestId, "POST", "/api/v1/containers/101/status/stop", null, Now);
        operation.Describe("StopContainer", isMutating: true, "{}", 101, "pve1");
        return operation;
    }

    private static ICurrentCaller CallerOf(CallerIdentity caller)
    {
        var mock = new Mock<ICurrentCaller>();
        mock.SetupGet(c => c.Caller).Returns(caller);
        return mock.Object;
    }

    /// <summary>
    /// A fixed clock whose second reading — the behavior takes it to stamp its claim, after reading that no claim
    /// exists — waits until the other request got there too.
    /// </summary>
    private sealed class ClaimBarrierClock(Barrier barrier) : TimeProvider
    {
        private int _readings;

        public override DateTimeOffset GetUtcNow()
        {
            if (Interlocked.Increment(ref _readings) == 2 && !barrier.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The other request never reached its claim.");
            }

            return Now;
        }
    }
}
