using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>
/// Every gateway method against the emulator over real HTTPS on loopback (token auth, pinned fingerprint).
/// After each test the emulator's journal must hold no request that violates the Proxmox schema.
/// </summary>
[TestFixture]
public sealed class GatewayEmulatorTests
{
    private const string Debian = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";
    private static readonly TimeSpan TaskWait = TimeSpan.FromSeconds(10);
    private EmulatorGatewayHost _env = null!;
    private int _nextVmid = 300;

    private IProxmoxGateway Gateway => _env.Gateway;

    [OneTimeSetUp]
    public async Task StartAsync() => _env = await EmulatorGatewayHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [SetUp]
    public void ClearFaults() => _env.Server.Faults.Clear();

    [TearDown]
    public void AllRequestsValidAgainstSchema()
    {
        var violations = _env.Server.Journal.SchemaViolations;
        Assert.That(violations.Select(v => $"{v.Method} {v.Path}: {string.Join("; ", v.SchemaErrors ?? new Dictionary<string, string>())}"), Is.Empty);
        var answered = _env.Server.Journal.Entries.Where(e => e.Status is >= 200 and < 300).ToList();
        Assert.That(answered.Where(e => e.SchemaValid != true).Select(e => $"{e.Method} {e.Path}"), Is.Empty,
            "every successful request must have been validated against the schema");
    }

    [Test]
    public async Task GetVersionAsync_Emulator_ReturnsVersion()
    {
        var version = await Gateway.GetVersionAsync(CancellationToken.None);

        Assert.That(version.Version, Is.Not.Empty.And.Not.EqualTo("unknown"));
    }

    [Test]
    public async Task GetClusterResourcesAsync_DefaultSeed_ContainersAndNodes()
    {
        var resources = await Gateway.GetClusterResourcesAsync(CancellationToken.None);

        var web1 = resources.Containers.Single(c => c.VmId == 100);
        Assert.Multiple(() =>
        {
            Assert.That(web1.Node, Is.EqualTo("pve1"));
            Assert.That(web1.Status, Is.EqualTo("running"));
            Assert.That(web1.Name, Is.EqualTo("web1"));
            Assert.That(web1.Pool, Is.EqualTo("web"));
            Assert.That(web1.Tags, Is.EquivalentTo(new[] { "prod", "web" }));
            Assert.That(web1.MaxMemoryBytes, Is.EqualTo(1024L * 1024 * 1024));
            Assert.That(resources.Nodes.Select(n => n.Node), Is.SupersetOf(new[] { "pve1", "pve2" }));
        });
    }

    [Test]
    public async Task GetClusterResourcesAsync_StringNumbers_StillParsed()
    {
        _env.Server.Faults.StringNumbers = true;

        var resources = await Gateway.GetClusterResourcesAsync(CancellationToken.None);
        var status = await Gateway.GetStatusAsync("pve1", 100, CancellationToken.None);

        Assert.That(resources.Containers.Single(c => c.VmId == 101).MaxMemoryBytes, Is.EqualTo(2048L * 1024 * 1024));
        Assert.That(status.MaxMemoryBytes, Is.EqualTo(1024L * 1024 * 1024));
    }

    [Test]
    public async Task GetNextVmIdAsync_DefaultSeed_FreeId()
    {
        var id = await Gateway.GetNextVmIdAsync(CancellationToken.None);

        Assert.That(_env.Server.State.FindContainer(id), Is.Null);
        Assert.That(id, Is.GreaterThanOrEqualTo(100));
    }

    [Test]
    public async Task ListNodesAsync_DefaultSeed_BothNodesOnline()
    {
        var nodes = await Gateway.ListNodesAsync(CancellationToken.None);

        Assert.That(nodes.Where(n => n.Status == "online").Select(n => n.Node), Is.SupersetOf(new[] { "pve1", "pve2" }));
    }

    [Test]
    public async Task CreateContainerAsync_FullSpec_TaskSucceedsAndConfigMatches()
    {
        var vmid = NextVmid();
        var net0 = new ContainerNetwork { Index = 0, Name = "eth0", Bridge = "vmbr0", Ipv4 = "10.0.0.50/24", Gateway4 = "10.0.0.1", Firewall = true, Vlan = 20 };
        var spec = new ContainerCreateSpec
        {
            VmId = vmid,
            Node = "pve1",
            OsTemplate = Debian,
            Hostname = "created1",
            Cores = 2,
            CpuLimit = 1.5,
            CpuUnits = 200,
            MemoryMiB = 768,
            SwapMiB = 256,
            RootFs = new RootFsSpec("local-lvm", 4),
            Networks = [net0],
            MountPoints = [new MountPointSpec(0, "local-lvm", 2, "/data", Backup: true)],
            Password = "correct horse battery",
            SshPublicKeys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4d9m7u4wJk1p2s3t4u5v6w7x8y9z0aAbBcCdDeEfFg test@example",
            Unprivileged = true,
            Features = new ContainerFeatures { Nesting = true },
            OnBoot = true,
            Start = false,
            Tags = ["api", "test"],
            Pool = "web",
            Description = "line one\nline two",
            Nameserver = "10.0.0.53",
            SearchDomain = "example.test",
        };

        var task = await Gateway.CreateContainerAsync(spec, CancellationToken.None);
        var status = await Gateway.WaitForTaskAsync(task, TaskWait, CancellationToken.None);
        var config = await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(task.Type, Is.EqualTo("vzcreate"));
            Assert.That(task.Id, Is.EqualTo(vmid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Succeeded), status.Error);
            Assert.That(config.Hostname, Is.EqualTo("created1"));
            Assert.That(config.Cores, Is.EqualTo(2));
            Assert.That(config.CpuLimit, Is.EqualTo(1.5));
            Assert.That(config.MemoryMiB, Is.EqualTo(768));
            Assert.That(config.SwapMiB, Is.EqualTo(256));
            Assert.That(config.RootFs?.Storage, Is.EqualTo("local-lvm"));
            Assert.That(config.RootFs?.SizeGiB, Is.EqualTo(4m));
            Assert.That(config.Networks.Single() with { MacAddress = null, Type = null }, Is.EqualTo(net0));
            Assert.That(config.MountPoints.Single().Path, Is.EqualTo("/data"));
            Assert.That(config.Features?.Nesting, Is.True);
            Assert.That(config.OnBoot, Is.True);
            Assert.That(config.Unprivileged, Is.True);
            Assert.That(config.Tags, Is.EquivalentTo(new[] { "api", "test" }));
            Assert.That(config.Description, Is.EqualTo("line one\nline two"));
            Assert.That(config.SearchDomain, Is.EqualTo("example.test"));
            Assert.That(config.Digest, Is.Not.Null.And.Length.EqualTo(40));
            Assert.That(config.Raw, Does.ContainKey("net0"));
            Assert.That(config.Raw.Values, Has.None.Contains("correct horse"));
        });
    }

    [Test]
    public async Task CreateContainerAsync_ExistingVmid_ConflictVmIdUnavailableNamingNoNode()
    {
        var spec = new ContainerCreateSpec { VmId = 100, Node = "pve1", OsTemplate = Debian, RootFs = new RootFsSpec("local-lvm", 1) };

        var ex = Assert.ThrowsAsync<ConflictException>(() => Gateway.CreateContainerAsync(spec, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Code, Is.EqualTo("vmid_unavailable"));
            Assert.That(ex.Message, Does.Not.Contain("pve1"));
        });
    }

    [Test]
    public async Task DeleteContainerAsync_StoppedContainer_Removed()
    {
        var vmid = await CreateStoppedAsync();

        var status = await WaitAsync(Gateway.DeleteContainerAsync("pve1", vmid, purge: true, force: false, CancellationToken.None));

        Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Succeeded), status.Error);
        Assert.ThrowsAsync<NotFoundException>(() => Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None));
    }

    [Test]
    public async Task DeleteContainerAsync_RunningWithoutForce_StateConflict()
    {
        var vmid = await CreateStoppedAsync();
        await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None));

        var ex = Assert.ThrowsAsync<ConflictException>(() => Gateway.DeleteContainerAsync("pve1", vmid, false, false, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_state_conflict"));
    }

    [Test]
    public async Task GetConfigAsync_MissingContainer_NotFound()
    {
        var ex = Assert.ThrowsAsync<NotFoundException>(() => Gateway.GetConfigAsync("pve1", 98765, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_not_found"));
    }

    [Test]
    public async Task UpdateConfigAsync_WithCurrentDigest_Applied()
    {
        var vmid = await CreateStoppedAsync();
        var before = await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None);

        await Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate
        {
            MemoryMiB = 1536,
            Cores = 3,
            OnBoot = false,
            Networks = [new ContainerNetwork { Index = 1, Name = "eth1", Bridge = "vmbr1", Ipv4 = "dhcp" }],
            Tags = ["changed"],
            Delete = ["description"],
            Digest = before.Digest,
        }, CancellationToken.None);
        var after = await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(after.MemoryMiB, Is.EqualTo(1536));
            Assert.That(after.Cores, Is.EqualTo(3));
            Assert.That(after.Networks.Select(n => n.Name), Does.Contain("eth1"));
            Assert.That(after.Tags, Is.EqualTo(new[] { "changed" }));
            Assert.That(after.Raw, Does.Not.ContainKey("description"));
            Assert.That(after.Digest, Is.Not.EqualTo(before.Digest));
        });
    }

    [Test]
    public async Task UpdateConfigAsync_StaleDigest_PreconditionFailed()
    {
        var vmid = await CreateStoppedAsync();
        var before = await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None);
        await Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { Cores = 2 }, CancellationToken.None);

        Assert.ThrowsAsync<PreconditionFailedException>(() =>
            Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { Cores = 4, Digest = before.Digest }, CancellationToken.None));
    }

    [Test]
    public async Task UpdateConfigAsync_LockedContainer_ConflictLocked()
    {
        var vmid = await CreateStoppedAsync();
        _env.Server.State.SetLock(vmid, "backup");
        try
        {
            var ex = Assert.ThrowsAsync<ConflictException>(() =>
                Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { Cores = 2 }, CancellationToken.None));

            Assert.That(ex!.Code, Is.EqualTo("container_locked"));
            Assert.That(ex.Message, Does.Contain("backup"));
        }
        finally
        {
            _env.Server.State.SetLock(vmid, null);
        }
    }

    [Test]
    public async Task UpdateConfigAsync_ParameterOutOfRange_ValidationWithField()
    {
        var vmid = await CreateStoppedAsync();
        try
        {
            var ex = Assert.ThrowsAsync<RequestValidationException>(() =>
                Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { MemoryMiB = 1 }, CancellationToken.None));

            Assert.That(ex!.StatusCode, Is.EqualTo(422));
            Assert.That(ex.Errors.Keys, Does.Contain("memory"));
            Assert.That(ex.Errors["memory"][0], Does.Contain("minimum"));
        }
        finally
        {
            _env.Server.Journal.Reset(); // the deliberately invalid request is the only schema violation
        }
    }

    [Test]
    public async Task GetPendingConfigAsync_RunningContainerHostnameChange_PendingAndConfigAsConfigCallShowsIt()
    {
        var vmid = await CreateStoppedAsync();
        await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None));

        await Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { Hostname = "renamed" }, CancellationToken.None);
        var before = _env.Server.Journal.Count("GET", "/nodes/{node}/lxc/{vmid}/config");
        var pending = await Gateway.GetPendingConfigAsync("pve1", vmid, CancellationToken.None);
        var config = await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pending.Changes.Single(p => p.Key == "hostname").Pending, Is.EqualTo("renamed"));
            Assert.That(pending.Changes.Any(p => p.Key == "digest"), Is.False);
            Assert.That(pending.Config.Raw, Is.EqualTo(config.Raw), "the config read from /pending equals GET /config");
            Assert.That(pending.Config.Digest, Is.EqualTo(config.Digest).And.Not.Null);
            Assert.That(_env.Server.Journal.Count("GET", "/nodes/{node}/lxc/{vmid}/config"), Is.EqualTo(before + 1), "only the comparison read called /config");
        });
    }

    [Test]
    public async Task PowerActions_FullCycle_StatusFollows()
    {
        var vmid = await CreateStoppedAsync();

        Assert.That((await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None))).IsSuccess);
        Assert.That((await Gateway.GetStatusAsync("pve1", vmid, CancellationToken.None)).Status, Is.EqualTo("running"));
        Assert.That((await WaitAsync(Gateway.RebootAsync("pve1", vmid, 30, CancellationToken.None))).IsSuccess);
        Assert.That((await WaitAsync(Gateway.SuspendAsync("pve1", vmid, CancellationToken.None))).IsSuccess);
        Assert.That((await WaitAsync(Gateway.ResumeAsync("pve1", vmid, CancellationToken.None))).IsSuccess);
        Assert.That((await WaitAsync(Gateway.ShutdownAsync("pve1", vmid, 10, forceStop: true, CancellationToken.None))).IsSuccess);
        Assert.That((await Gateway.GetStatusAsync("pve1", vmid, CancellationToken.None)).Status, Is.EqualTo("stopped"));
        Assert.That((await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None))).IsSuccess);
        Assert.That((await WaitAsync(Gateway.StopAsync("pve1", vmid, CancellationToken.None))).IsSuccess);
        Assert.That((await Gateway.GetStatusAsync("pve1", vmid, CancellationToken.None)).Status, Is.EqualTo("stopped"));
    }

    [Test]
    public async Task StartAsync_AlreadyRunning_StateConflict()
    {
        var ex = Assert.ThrowsAsync<ConflictException>(() => Gateway.StartAsync("pve1", 100, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_state_conflict"));
    }

    [Test]
    public async Task GetStatusAsync_RunningSeedContainer_LiveFigures()
    {
        var status = await Gateway.GetStatusAsync("pve1", 100, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.VmId, Is.EqualTo(100));
            Assert.That(status.Status, Is.EqualTo("running"));
            Assert.That(status.MaxMemoryBytes, Is.EqualTo(1024L * 1024 * 1024));
            Assert.That(status.UptimeSeconds, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task ResizeDiskAsync_GrowAndAbsolute_SizeChanges()
    {
        var vmid = await CreateStoppedAsync();

        Assert.That((await WaitAsync(Gateway.ResizeDiskAsync("pve1", vmid, "rootfs", DiskResize.By(2), CancellationToken.None))).IsSuccess);
        Assert.That((await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None)).RootFs?.SizeGiB, Is.EqualTo(3m));
        Assert.That((await WaitAsync(Gateway.ResizeDiskAsync("pve1", vmid, "rootfs", DiskResize.ToAbsolute(5), CancellationToken.None))).IsSuccess);
        Assert.That((await Gateway.GetConfigAsync("pve1", vmid, CancellationToken.None)).RootFs?.SizeGiB, Is.EqualTo(5m));
    }

    [Test]
    public async Task ResizeDiskAsync_Shrink_Validation()
    {
        var vmid = await CreateStoppedAsync();

        var ex = Assert.ThrowsAsync<RequestValidationException>(() =>
            Gateway.ResizeDiskAsync("pve1", vmid, "rootfs", DiskResize.ToAbsolute(0.5m), CancellationToken.None));

        Assert.That(ex!.Errors.Keys, Does.Contain("size"));
    }

    [Test]
    public async Task CloneContainerAsync_FullClone_NewContainerExists()
    {
        var vmid = await CreateStoppedAsync();
        var newId = NextVmid();

        var status = await WaitAsync(Gateway.CloneContainerAsync("pve1", vmid, new ContainerCloneSpec
        {
            NewVmId = newId,
            Hostname = "clone1",
            Full = true,
            TargetStorage = "local-lvm",
            Pool = "web",
        }, CancellationToken.None));
        var config = await Gateway.GetConfigAsync("pve1", newId, CancellationToken.None);

        Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Succeeded), status.Error);
        Assert.That(config.Hostname, Is.EqualTo("clone1"));
    }

    [Test]
    public async Task Snapshots_CreateListRollbackDelete_RoundTrip()
    {
        var vmid = await CreateStoppedAsync();

        Assert.That((await WaitAsync(Gateway.CreateSnapshotAsync("pve1", vmid, "before_upgrade", "pre-upgrade", CancellationToken.None))).IsSuccess);
        var snapshots = await Gateway.ListSnapshotsAsync("pve1", vmid, CancellationToken.None);
        Assert.That(snapshots.Single().Name, Is.EqualTo("before_upgrade"));
        Assert.That(snapshots.Single().Description, Is.EqualTo("pre-upgrade"));
        Assert.That((await WaitAsync(Gateway.RollbackSnapshotAsync("pve1", vmid, "before_upgrade", CancellationToken.None))).IsSuccess);
        Assert.That((await WaitAsync(Gateway.DeleteSnapshotAsync("pve1", vmid, "before_upgrade", CancellationToken.None))).IsSuccess);
        Assert.That(await Gateway.ListSnapshotsAsync("pve1", vmid, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task RollbackSnapshotAsync_MissingSnapshot_TaskFailsOrNotFound()
    {
        var vmid = await CreateStoppedAsync();

        try
        {
            var status = await WaitAsync(Gateway.RollbackSnapshotAsync("pve1", vmid, "nope", CancellationToken.None));
            Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Failed));
            Assert.That(status.Error, Does.Contain("does not exist"));
        }
        catch (NotFoundException ex)
        {
            Assert.That(ex.Code, Is.EqualTo("snapshot_not_found"));
        }
    }

    [TestCase(RrdTimeframe.Hour, RrdConsolidation.Average)]
    [TestCase(RrdTimeframe.Day, RrdConsolidation.Max)]
    public async Task GetRrdDataAsync_RunningContainer_TypedPoints(RrdTimeframe timeframe, RrdConsolidation cf)
    {
        var points = await Gateway.GetRrdDataAsync("pve1", 100, timeframe, cf, CancellationToken.None);

        Assert.That(points, Is.Not.Empty);
        Assert.That(points, Is.Ordered.By(nameof(RrdPoint.Time)));
        Assert.That(points.Any(p => p.Cpu is not null), Is.True);
    }

    [Test]
    public async Task GetInterfacesAsync_RunningAndStopped_AddressesOrEmpty()
    {
        var running = await Gateway.GetInterfacesAsync("pve1", 100, CancellationToken.None);
        var stopped = await Gateway.GetInterfacesAsync("pve1", 102, CancellationToken.None);

        Assert.That(running.SelectMany(i => i.Addresses).Select(a => a.Address), Does.Contain("10.0.0.100"));
        Assert.That(stopped, Is.Empty);
    }

    [Test]
    public async Task WaitForTaskAsync_InjectedWarnings_SucceededWithWarnings()
    {
        var vmid = await CreateStoppedAsync();
        _env.Server.Faults.WarnNextTask("vzstart", warnings: 2);

        var status = await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None));
        var log = await Gateway.GetTaskLogTailAsync(status.Task, 5, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.SucceededWithWarnings));
            Assert.That(status.WarningCount, Is.EqualTo(2));
            Assert.That(status.IsSuccess, Is.True);
            Assert.That(log.Lines[^1].Text, Is.EqualTo("TASK WARNINGS: 2"));
        });
    }

    [Test]
    public async Task WaitForTaskAsync_InjectedFailure_FailedWithExitStatus()
    {
        var vmid = await CreateStoppedAsync();
        _env.Server.Faults.FailNextTask("vzstart", "startup for container failed");

        var status = await WaitAsync(Gateway.StartAsync("pve1", vmid, CancellationToken.None));
        var log = await Gateway.GetTaskLogTailAsync(status.Task, 3, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Failed));
            Assert.That(status.Error, Does.Contain("startup for container failed"));
            Assert.That(log.Lines[^1].Text, Does.StartWith("TASK ERROR"));
            Assert.That(log.Total, Is.GreaterThanOrEqualTo(log.Lines.Count));
        });
    }

    [Test]
    public async Task GetTaskStatusAsync_FinishedTask_Ok()
    {
        var vmid = await CreateStoppedAsync();
        var task = await Gateway.StartAsync("pve1", vmid, CancellationToken.None);
        await Gateway.WaitForTaskAsync(task, TaskWait, CancellationToken.None);

        var status = await Gateway.GetTaskStatusAsync(task, CancellationToken.None);

        Assert.That(status.ExitStatus, Is.EqualTo("OK"));
    }

    [Test]
    public async Task ListStoragesAsync_Pve1_LocalAndLvm()
    {
        var storages = await Gateway.ListStoragesAsync("pve1", CancellationToken.None);

        Assert.That(storages.Select(s => s.Storage), Is.SupersetOf(new[] { "local", "local-lvm" }));
        Assert.That(storages.Single(s => s.Storage == "local").Content, Does.Contain("vztmpl"));
    }

    [Test]
    public async Task ListTemplatesAsync_Pve1Local_SeedTemplates()
    {
        var templates = await Gateway.ListTemplatesAsync("pve1", "local", CancellationToken.None);

        Assert.That(templates.Select(t => t.VolId), Does.Contain(Debian));
        Assert.That(templates.Single(t => t.VolId == Debian).Name, Is.EqualTo("debian-12-standard_12.7-1_amd64.tar.zst"));
    }

    [TestCase(500, null)]
    [TestCase(595, "Connection refused")]
    [TestCase(596, "Broken pipe")]
    [TestCase(503, null)]
    public async Task GetAsync_InjectedTransientErrors_RetriedThenSucceeds(int status, string? message)
    {
        _env.Server.Faults.FailRequests(status, "^/version$", "GET", count: 2, message: message);
        var before = _env.Server.Journal.Count("GET", "/version");

        var version = await Gateway.GetVersionAsync(CancellationToken.None);

        Assert.That(version.Version, Is.Not.Empty);
        Assert.That(_env.Server.Journal.Count("GET", "/version") - before, Is.EqualTo(3));
    }

    [Test]
    public async Task PostAsync_Injected595_NotRetried()
    {
        var vmid = await CreateStoppedAsync();
        var path = $"/nodes/pve1/lxc/{vmid}/status/start";
        _env.Server.Faults.FailRequests(595, "/status/start$", "POST", count: 5, message: "No route to host");

        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => Gateway.StartAsync("pve1", vmid, CancellationToken.None));

        Assert.That(_env.Server.Journal.Count("POST", path), Is.EqualTo(1));
    }

    [Test]
    public async Task UpdateConfigAsync_LockTimeout_ConflictLockedWithoutRetry()
    {
        var vmid = await CreateStoppedAsync();
        _env.Server.Faults.LockTimeout(vmid, count: 1);

        // A lock timeout on a write is not retried: the caller learns the container is busy.
        var ex = Assert.ThrowsAsync<ConflictException>(() =>
            Gateway.UpdateConfigAsync("pve1", vmid, new ContainerConfigUpdate { Cores = 2 }, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_locked"));
        Assert.That(_env.Server.Journal.Count("PUT", $"/nodes/pve1/lxc/{vmid}/config"), Is.EqualTo(1));
    }

    private int NextVmid() => Interlocked.Increment(ref _nextVmid);

    private async Task<int> CreateStoppedAsync()
    {
        var vmid = NextVmid();
        var status = await WaitAsync(Gateway.CreateContainerAsync(new ContainerCreateSpec
        {
            VmId = vmid,
            Node = "pve1",
            OsTemplate = Debian,
            Hostname = $"ct{vmid}",
            MemoryMiB = 512,
            RootFs = new RootFsSpec("local-lvm", 1),
            Networks = [new ContainerNetwork { Index = 0, Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
            Description = "test container",
        }, CancellationToken.None));
        Assert.That(status.Outcome, Is.EqualTo(ProxmoxTaskOutcome.Succeeded), status.Error);
        return vmid;
    }

    private async Task<ProxmoxTaskStatus> WaitAsync(Task<ProxmoxTask> started) =>
        await Gateway.WaitForTaskAsync(await started, TaskWait, CancellationToken.None);

    [Test]
    public async Task StartAsync_ReplyDroppedAfterTheWork_AnswerLostAndNotRetried()
    {
        var vmid = await CreateStoppedAsync();
        var path = $"/nodes/pve1/lxc/{vmid}/status/start";
        _env.Server.Faults.DropReplies("/status/start$", "POST", count: 1);

        var ex = Assert.ThrowsAsync<ProxmoxAnswerLostException>(() => Gateway.StartAsync("pve1", vmid, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(503));
            Assert.That(_env.Server.Journal.Count("POST", path), Is.EqualTo(1), "a write is never repeated");
            Assert.That(_env.Server.State.Tasks.Count(t => t.Type == "vzstart" && t.Id == vmid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetStatusAsync_ConnectionDropped_RetriedAsARead()
    {
        var vmid = await CreateStoppedAsync();
        _env.Server.Faults.DropConnections("/status/current$", "GET", count: 1);

        var status = await Gateway.GetStatusAsync("pve1", vmid, CancellationToken.None);

        Assert.That(status.Status, Is.EqualTo("stopped"));
    }

    [Test]
    public async Task FindOwnTasksAsync_AfterStart_FindsItsTaskByTypeVmidAndSince()
    {
        var vmid = await CreateStoppedAsync();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var task = await Gateway.StartAsync("pve1", vmid, CancellationToken.None);
        await Gateway.WaitForTaskAsync(task, TaskWait, CancellationToken.None);

        var found = await Gateway.FindOwnTasksAsync("pve1", vmid, "vzstart", since, CancellationToken.None);
        var otherType = await Gateway.FindOwnTasksAsync("pve1", vmid, "vzstop", since, CancellationToken.None);
        var later = await Gateway.FindOwnTasksAsync("pve1", vmid, "vzstart", DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(found.Select(t => t.Upid), Is.EqualTo(new[] { task.Upid }));
            Assert.That(otherType, Is.Empty);
            Assert.That(later, Is.Empty);
        });
    }
}
