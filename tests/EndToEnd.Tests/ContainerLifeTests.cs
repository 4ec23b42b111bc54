using ProxmoxLxc.Client;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>A container's whole life against the real service (bundled emulator), only through the generated client.</summary>
[TestFixtureSource(typeof(ServiceProcess), nameof(ServiceProcess.Providers))]
public sealed class ContainerLifeTests(string provider) : ServiceFixture(provider)
{
    private const string Wait = "wait=60";
    [Test]
    public async Task ContainerLife_CreateConfigureStartSnapshotStopDelete_EachStepSucceedsAndIsAudited()
    {
        var containers = Admin.Create<ContainersClient>();
        var operations = Admin.Create<OperationsClient>();

        var created = await containers.CreateAsync(new CreateContainerCommand
        {
            Node = "pve1",
            Hostname = "e2e-web",
            Template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            Cores = 1,
            MemoryMiB = 512,
            SwapMiB = 256,
            Rootfs = new RootFsInput { Storage = "local-lvm", SizeGiB = 4 },
            Networks = [new NetworkInput { Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
            SshPublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g e2e@example"],
        }, prefer: Wait, idempotencyKey: "e2e-create-1");
        Assert.Multiple(() =>
        {
            Assert.That(created.Status, Is.EqualTo("succeeded"), created.Error?.Message);
            Assert.That(created.Vmid, Is.Not.Null);
            Assert.That(created.TaskId, Does.StartWith("UPID:"));
        });
        var vmid = created.Vmid!.Value;

        var again = await containers.CreateAsync(new CreateContainerCommand
        {
            Node = "pve1",
            Hostname = "e2e-web",
            Template = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            Cores = 1,
            MemoryMiB = 512,
            SwapMiB = 256,
            Rootfs = new RootFsInput { Storage = "local-lvm", SizeGiB = 4 },
            Networks = [new NetworkInput { Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
            SshPublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g e2e@example"],
        }, idempotencyKey: "e2e-create-1");
        Assert.That(again.Id, Is.EqualTo(created.Id), "The same Idempotency-Key and body return the first Operation.");

        var detail = await containers.GetAsync(vmid);
        Assert.Multiple(() =>
        {
            Assert.That(detail.Name, Is.EqualTo("e2e-web"));
            Assert.That(detail.Status, Is.EqualTo("stopped"));
            Assert.That(detail.Digest, Is.Not.Null.And.Not.Empty);
        });

        var updated = await containers.UpdateConfigAsync(vmid, new UpdateContainerConfigCommand { Cores = 2, MemoryMiB = 1024 },
            ifMatch: $"\"{detail.Digest}\"");
        Assert.That(updated.Config.Cores, Is.EqualTo(2));
        var stale = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() =>
            containers.UpdateConfigAsync(vmid, new UpdateContainerConfigCommand { Cores = 3 }, ifMatch: $"\"{detail.Digest}\""));
        Assert.Multiple(() =>
        {
            Assert.That(stale!.StatusCode, Is.EqualTo(412));
            Assert.That(stale.Code, Is.EqualTo("precondition_failed"));
        });

        var started = await containers.StartAsync(vmid, prefer: Wait);
        Assert.That(started.Status, Is.EqualTo("succeeded"), started.Error?.Message);
        var status = await containers.StatusAsync(vmid);
        Assert.That(status.Status, Is.EqualTo("running"));

        var snapshot = await containers.CreateSnapshotAsync(vmid, new CreateSnapshotCommand { Name = "before", Description = "e2e" }, prefer: Wait);
        Assert.That(snapshot.Status, Is.EqualTo("succeeded"), snapshot.Error?.Message);
        var snapshots = await containers.ListSnapshotsAsync(vmid);
        Assert.That(snapshots.Items.Select(s => s.Name), Does.Contain("before"));

        var runningDelete = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => containers.DeleteAsync(vmid, prefer: Wait));
        Assert.That(runningDelete!.Code, Is.EqualTo("container_state_conflict"));

        var stopped = await containers.StopAsync(vmid, prefer: Wait);
        Assert.That(stopped.Status, Is.EqualTo("succeeded"), stopped.Error?.Message);
        var deleted = await containers.DeleteAsync(vmid, prefer: Wait, purge: true);
        Assert.That(deleted.Status, Is.EqualTo("succeeded"), deleted.Error?.Message);

        var gone = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => containers.GetAsync(vmid));
        Assert.Multiple(() =>
        {
            Assert.That(gone!.StatusCode, Is.EqualTo(404));
            Assert.That(gone.Code, Is.EqualTo("container_not_found"));
        });

        var audit = await operations.ListAsync(vmid: vmid, limit: 100);
        Assert.That(audit.Items.Select(o => o.Action), Is.SupersetOf(new[] { "CreateContainer", "StartContainer", "StopContainer", "DeleteContainer" }));
        var followed = await operations.GetAsync(created.Id);
        Assert.That(followed.Status, Is.EqualTo("succeeded"));
    }

    [Test]
    public async Task StatusBatch_KnownAndUnknownIds_AnswersOneEntryPerIdInOrder()
    {
        var batch = await Admin.Create<ContainersClient>().StatusBatchAsync([101, 100, 99_999]);

        Assert.That(batch.Items.Select(i => i.Vmid), Is.EqualTo(new[] { 101, 100, 99_999 }));
        Assert.Multiple(() =>
        {
            Assert.That(batch.Items[0].Status, Is.EqualTo("stopped"));
            Assert.That(batch.Items[1].Status, Is.EqualTo("running"));
            Assert.That(batch.Items[2].Error, Is.EqualTo("container_not_found"));
        });
    }

    [Test]
    public async Task RestrictedReadKey_ContainerOutsideItsPool_IsInvisible()
    {
        var created = await Admin.Create<KeysClient>().CreateAsync(
            new CreateApiKeyCommand { Name = "e2e-web-reader", Scopes = ["containers:read"], AllowedPools = ["web"] });
        using var reader = Service.Clients(created.Key);
        var containers = reader.Create<ContainersClient>();

        var page = await containers.ListAsync(limit: 100);
        Assert.That(page.Items.Select(c => c.Vmid), Is.EqualTo(new[] { 100 }));
        var hidden = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => containers.GetAsync(101));
        Assert.That(hidden!.Code, Is.EqualTo("container_not_found"));
        var denied = Assert.ThrowsAsync<ProxmoxLxcApiException<ProblemDetails>>(() => containers.StartAsync(100));
        Assert.That(denied!.Code, Is.EqualTo("insufficient_scope"));
    }
}
