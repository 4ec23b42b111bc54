using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.Idempotency;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.MultiInstance;

/// <summary>
/// An <c>Idempotency-Key</c> claim is leased to the instance whose request runs it and linked to its Operation by the
/// Operation row's first write: a claim left unlinked after its lease ran out (its instance died or stalled before acting)
/// is taken over by a retry, which acts once; the stalled claimant can then no longer act; a claim whose lease still runs
/// is waited for, never taken over. Requests stop at chosen points through a probe around the instances' claims.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class IdempotencyClaimLeaseTests(DatabaseProvider provider)
{
    private static readonly Dictionary<string, string> Headers = new() { ["Idempotency-Key"] = "claim-lease-1" };

    [Test]
    public async Task Create_ClaimantStalledPastItsLease_RetryOnOtherInstanceTakesOverAndActsOnce()
    {
        var probes = new[] { new ClaimProbe(stallAfterClaim: true), new ClaimProbe(stallAfterClaim: false) };
        await using var cluster = await StartAsync(probes);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var clientA = a.CreateAdminClient();
        using var clientB = b.CreateAdminClient();
        var body = WriteApi.CreateBody("claim-takeover");

        // A claims the key and stops before writing its Operation (as if it had died there).
        var first = clientA.PostAsync("/api/v1/containers", body.DeepClone(), Headers);
        await probes[0].Claimed.WaitAsync(TimeSpan.FromSeconds(30));

        // From B's point of view A stopped renewing: the claim's lease has run out, so the retry takes the claim over.
        b.Time.Advance(SharedDatabaseInstances.LeaseDuration + TimeSpan.FromSeconds(1));
        using var retry = await clientB.PostAsync("/api/v1/containers", body.DeepClone(), Headers);
        var operation = await retry.AcceptedAsync();
        var id = operation.GetProperty("id").GetInt64();

        // A goes on: its first write finds the claim no longer its own, so it writes nothing and sends nothing to Proxmox.
        probes[0].Release();
        using var stale = await first;
        var problem = await stale.Content.ReadAsStringAsync();
        var done = await clientB.WaitForOperationAsync(id, TimeSpan.FromSeconds(30));

        await using var db = cluster.Database.NewContext();
        var claims = await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == "claim-lease-1").ToListAsync();
        var running = await db.OperationLogs.AsNoTracking().CountAsync(o => o.Action == "CreateContainer" && o.TaskId != null);
        Assert.Multiple(() =>
        {
            Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), problem);
            Assert.That(problem, Does.Contain("\"code\":\"idempotency_key_in_progress\""));
            Assert.That(done.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(1), "Proxmox saw one create");
            Assert.That(cluster.Emulator.State.Containers.Count(c => c.Hostname == "claim-takeover"), Is.EqualTo(1));
            Assert.That(claims, Has.Count.EqualTo(1));
            Assert.That(claims[0].OperationId, Is.EqualTo(id), "the claim points at the retry's Operation");
            Assert.That(running, Is.EqualTo(1), "one Operation carries the Proxmox task");
            Assert.That(b.Logs.AllText, Does.Contain("took it over and runs the request"));
        });
    }

    [Test]
    public async Task Create_ClaimantLeaseStillRunning_RetryWaitsAndReplaysTheClaimantsOperation()
    {
        var probes = new[] { new ClaimProbe(stallAfterClaim: true), new ClaimProbe(stallAfterClaim: false) };
        await using var cluster = await StartAsync(probes);
        var (a, b) = (cluster.Instances[0], cluster.Instances[1]);
        using var clientA = a.CreateAdminClient();
        using var clientB = b.CreateAdminClient();
        var body = WriteApi.CreateBody("claim-waited");

        var first = clientA.PostAsync("/api/v1/containers", body.DeepClone(), Headers);
        await probes[0].Claimed.WaitAsync(TimeSpan.FromSeconds(30));

        // B's retry finds the claim unlinked but leased by a live instance: it must not take it over.
        var retry = clientB.PostAsync("/api/v1/containers", body.DeepClone(), Headers);
        await probes[1].TakeOverRefused.WaitAsync(TimeSpan.FromSeconds(30));
        probes[0].Release();

        using var original = await first;
        var id = (await original.AcceptedAsync()).GetProperty("id").GetInt64();
        // The replay points at the claimant's Operation, which may not know its Proxmox task yet (linked before the dispatch).
        using var replay = await retry;
        var replayed = await replay.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), replayed);
            Assert.That(JsonSerializer.Deserialize<JsonElement>(replayed).GetProperty("id").GetInt64(), Is.EqualTo(id),
                "the retry answers the claimant's Operation");
            Assert.That(cluster.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(1), "Proxmox saw one create");
            Assert.That(b.Logs.AllText, Does.Not.Contain("took it over"));
        });
    }

    private Task<SharedDatabaseInstances> StartAsync(ClaimProbe[] probes) =>
        SharedDatabaseInstances.StartAsync(provider, probes.Length, [], configure: (i, instance) => instance.WithTestServices(services =>
            services.AddSingleton<IIdempotencyClaims>(sp => probes[i].Around(sp.GetRequiredService<IdempotencyClaims>()))));

    /// <summary>The instance's claims, with a stop right after a successful claim and a signal when a takeover is refused.</summary>
    private sealed class ClaimProbe(bool stallAfterClaim)
    {
        private readonly TaskCompletionSource _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _takeOverRefused = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Claimed => _claimed.Task;

        private bool Stalls { get; } = stallAfterClaim;

        public Task TakeOverRefused => _takeOverRefused.Task;

        public void Release() => _release.TrySetResult();

        public IIdempotencyClaims Around(IIdempotencyClaims inner) => new Probed(inner, this);

        private sealed class Probed(IIdempotencyClaims inner, ClaimProbe probe) : IIdempotencyClaims
        {
            public Task<IdempotencyRecord?> FindAsync(string apiKeyId, string key) => inner.FindAsync(apiKeyId, key);

            public async Task<bool> TryClaimAsync(IdempotencyRecord claim)
            {
                var claimed = await inner.TryClaimAsync(claim);
                if (claimed && probe.Stalls && probe._claimed.TrySetResult())
                {
                    await probe._release.Task;
                }

                return claimed;
            }

            public async Task<bool> TryTakeOverAsync(long claimId)
            {
                var taken = await inner.TryTakeOverAsync(claimId);
                if (!taken)
                {
                    probe._takeOverRefused.TrySetResult();
                }

                return taken;
            }

            public Task ForgetAsync(long claimId) => inner.ForgetAsync(claimId);

            public Task ReleaseAsync(long claimId) => inner.ReleaseAsync(claimId);

            public void Ended(long claimId) => inner.Ended(claimId);
        }
    }
}
