using System.Diagnostics;
using System.Net.Sockets;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using static ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox.FakeProxmoxHandler;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>Gateway behaviour against a scripted HTTP handler (wire quirks, resilience, auth headers).</summary>
[TestFixture]
public sealed class GatewayFakeHandlerTests
{
    private const string StartUpid = "UPID:pve:0001E240:1FFFFFFFF:66F0A1B2:vzstart:101:root@pam!ci:";

    private static ProxmoxTask StartTask => ProxmoxTaskId.TryParse(StartUpid, out var task) ? task : throw new FormatException(StartUpid);

    [Test]
    public async Task GetNextVmIdAsync_StringData_Parsed()
    {
        using var host = GatewayTestHost.Create(_ => Data("\"105\""), out _);

        Assert.That(await host.Gateway.GetNextVmIdAsync(CancellationToken.None), Is.EqualTo(105));
    }

    [Test]
    public async Task GetClusterResourcesAsync_StringNumbers_ParsedAndSplit()
    {
        const string json = """
            [{"id":"lxc/101","type":"lxc","vmid":"101","node":"pve","status":"running","name":"web1","template":"",
              "cpu":"0.25","maxcpu":2,"mem":"52428800","maxmem":1073741824,"disk":"1234","maxdisk":"8589934592","uptime":3600,
              "tags":"prod;web","pool":"web","lock":"backup"},
             {"id":"qemu/200","type":"qemu","vmid":200,"node":"pve","status":"running"},
             {"id":"node/pve","type":"node","node":"pve","status":"online","cpu":0.1,"maxcpu":8,"mem":1,"maxmem":2,"uptime":5}]
            """;
        using var host = GatewayTestHost.Create(_ => Data(json), out _);

        var resources = await host.Gateway.GetClusterResourcesAsync(CancellationToken.None);

        Assert.That(resources.Containers, Has.Count.EqualTo(1));
        var ct = resources.Containers[0];
        Assert.Multiple(() =>
        {
            Assert.That(ct.VmId, Is.EqualTo(101));
            Assert.That(ct.Cpu, Is.EqualTo(0.25));
            Assert.That(ct.MemoryBytes, Is.EqualTo(52428800));
            Assert.That(ct.MaxDiskBytes, Is.EqualTo(8589934592));
            Assert.That(ct.Template, Is.False);
            Assert.That(ct.Tags, Is.EqualTo(new[] { "prod", "web" }));
            Assert.That(ct.Lock, Is.EqualTo("backup"));
            Assert.That(resources.Nodes.Single().Node, Is.EqualTo("pve"));
        });
    }

    [TestCase("[]", TestName = "TypedRead_AnswerNotAnObject_ProxmoxError")]
    [TestCase("{}", TestName = "TypedRead_AnswerWithoutData_ProxmoxError")]
    [TestCase("{\"data\":null}", TestName = "TypedRead_NullData_ProxmoxError")]
    [TestCase("{\"data\":{\"vmid\":101}}", TestName = "TypedRead_DataOfWrongShape_ProxmoxError")]
    [TestCase("<html>proxy error</html>", TestName = "TypedRead_NotJson_ProxmoxError")]
    public void TypedRead_MalformedAnswer_ProxmoxErrorNotACrash(string answer)
    {
        using var host = GatewayTestHost.Create(_ => Json(answer), out _);

        var ex = Assert.ThrowsAsync<ProxmoxErrorException>(() => host.Gateway.GetClusterResourcesAsync(CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("cluster.resources"));
    }

    [Test]
    public async Task TypedRead_ConcurrentIdenticalReads_ShareOneCall()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        using var host = GatewayTestHost.Create(_ =>
        {
            Interlocked.Increment(ref calls);
            release.Task.Wait(TimeSpan.FromSeconds(10));
            return Data("""[{"id":"lxc/101","type":"lxc","vmid":101,"node":"pve","status":"running"}]""");
        }, out _);

        // The first read holds the answer back; four more start while it is in flight (and join it).
        var first = Task.Run(() => host.Gateway.GetClusterResourcesAsync(CancellationToken.None));
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));
        List<Task<ClusterResources>> reads = [first, .. Enumerable.Range(0, 4).Select(_ => host.Gateway.GetClusterResourcesAsync(CancellationToken.None))];
        release.SetResult();
        var answers = await Task.WhenAll(reads);

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(1));
            Assert.That(answers.Select(a => a.Containers.Single().VmId), Is.All.EqualTo(101));
        });
    }

    [Test]
    public async Task GetConfigAsync_ProxmoxConfig_TypedAndRawKept()
    {
        const string json = """
            {"hostname":"web1","cores":"2","memory":1024,"swap":512,"cpulimit":"1.5","unprivileged":1,"onboot":0,
             "rootfs":"local-lvm:vm-101-disk-0,size=8G","net0":"name=eth0,bridge=vmbr0,hwaddr=BC:24:11:AA:BB:CC,ip=dhcp,type=veth",
             "net1":"name=eth1,bridge=vmbr1,ip=10.0.0.5/24,gw=10.0.0.1,tag=20","mp0":"local-lvm:vm-101-disk-1,mp=/data,size=4G",
             "features":"nesting=1","tags":"a;b","description":"line1\nline2","ostype":"debian","digest":"0123456789abcdef0123456789abcdef01234567"}
            """;
        using var host = GatewayTestHost.Create(_ => Data(json), out _);

        var config = await host.Gateway.GetConfigAsync("pve", 101, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(config.Cores, Is.EqualTo(2));
            Assert.That(config.CpuLimit, Is.EqualTo(1.5));
            Assert.That(config.MemoryMiB, Is.EqualTo(1024));
            Assert.That(config.Unprivileged, Is.True);
            Assert.That(config.RootFs!.SizeGiB, Is.EqualTo(8m));
            Assert.That(config.Networks.Select(n => n.Name), Is.EqualTo(new[] { "eth0", "eth1" }));
            Assert.That(config.Networks[1].Vlan, Is.EqualTo(20));
            Assert.That(config.MountPoints.Single().Path, Is.EqualTo("/data"));
            Assert.That(config.Features!.Nesting, Is.True);
            Assert.That(config.Description, Is.EqualTo("line1\nline2"));
            Assert.That(config.Digest, Has.Length.EqualTo(40));
            Assert.That(config.Raw["cores"], Is.EqualTo("2"));
            Assert.That(config.Raw["unprivileged"], Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task StartAsync_UpidWithLargePStart_ReturnsTypedTask()
    {
        using var host = GatewayTestHost.Create(_ => Data($"\"{StartUpid}\""), out var handler);

        var task = await host.Gateway.StartAsync("pve", 101, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(task.Type, Is.EqualTo("vzstart"));
            Assert.That(task.PStart, Is.EqualTo(0x1FFFFFFFFL));
            Assert.That(handler.Requests.Single().Path, Is.EqualTo("/api2/json/nodes/pve/lxc/101/status/start"));
            Assert.That(handler.Requests.Single().Headers["Authorization"], Is.EqualTo("PVEAPIToken=root@pam!ci=11111111-2222-3333-4444-555555555555"));
            Assert.That(handler.Requests.Single().Headers["User-Agent"], Is.EqualTo("ProxmoxLxc/1.0"));
        });
    }

    [Test]
    public async Task DeleteContainerAsync_Flags_SentAsQueryWithoutBody()
    {
        using var host = GatewayTestHost.Create(_ => Data($"\"{StartUpid.Replace("vzstart", "vzdestroy", StringComparison.Ordinal)}\""), out var handler);

        await host.Gateway.DeleteContainerAsync("pve", 101, purge: true, force: true, CancellationToken.None);

        var request = handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Delete));
            Assert.That(request.PathAndQuery, Is.EqualTo("/api2/json/nodes/pve/lxc/101?purge=1&force=1"));
            Assert.That(request.Body, Is.Null);
        });
    }

    [Test]
    public async Task CreateContainerAsync_Spec_FormEncodedWithPropertyStrings()
    {
        using var host = GatewayTestHost.Create(_ => Data($"\"{StartUpid.Replace("vzstart", "vzcreate", StringComparison.Ordinal)}\""), out var handler);
        var spec = new ContainerCreateSpec
        {
            VmId = 150,
            Node = "pve",
            OsTemplate = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            Hostname = "web9",
            Cores = 2,
            MemoryMiB = 1024,
            SwapMiB = 0,
            RootFs = new RootFsSpec("local-lvm", 8),
            Networks = [new ContainerNetwork { Index = 0, Name = "eth0", Bridge = "vmbr0", Ipv4 = "dhcp" }],
            Password = "s3cret pass",
            Unprivileged = true,
            Features = new ContainerFeatures { Nesting = true },
            Start = false,
            Tags = ["a", "b"],
        };

        await host.Gateway.CreateContainerAsync(spec, CancellationToken.None);

        var form = System.Web.HttpUtility.ParseQueryString(handler.Requests.Single().Body!);
        Assert.Multiple(() =>
        {
            Assert.That(form["vmid"], Is.EqualTo("150"));
            Assert.That(form["rootfs"], Is.EqualTo("local-lvm:8"));
            Assert.That(form["net0"], Is.EqualTo("name=eth0,bridge=vmbr0,ip=dhcp"));
            Assert.That(form["unprivileged"], Is.EqualTo("1"));
            Assert.That(form["start"], Is.EqualTo("0"));
            Assert.That(form["features"], Is.EqualTo("nesting=1"));
            Assert.That(form["tags"], Is.EqualTo("a;b"));
            Assert.That(form["password"], Is.EqualTo("s3cret pass"));
        });
    }

    [Test]
    public void CreateContainerAsync_InjectedHostname_RejectedBeforeAnyCall()
    {
        using var host = GatewayTestHost.Create(_ => Data("null"), out var handler);
        var spec = new ContainerCreateSpec { VmId = 150, Node = "pve", OsTemplate = "local:vztmpl/x.tar.zst", Hostname = "web\nnet1" };

        Assert.ThrowsAsync<RequestValidationException>(() => host.Gateway.CreateContainerAsync(spec, CancellationToken.None));
        Assert.That(handler.Requests, Is.Empty);
    }

    [Test]
    public async Task UpdateConfigAsync_ValuesDeleteDigest_SentAsPut()
    {
        using var host = GatewayTestHost.Create(_ => Data("null"), out var handler);
        var update = new ContainerConfigUpdate
        {
            MemoryMiB = 2048,
            OnBoot = true,
            Delete = ["net1", "description"],
            Digest = "0123456789abcdef0123456789abcdef01234567",
        };

        await host.Gateway.UpdateConfigAsync("pve", 101, update, CancellationToken.None);

        var request = handler.Requests.Single();
        var form = System.Web.HttpUtility.ParseQueryString(request.Body!);
        Assert.Multiple(() =>
        {
            Assert.That(request.Method, Is.EqualTo(HttpMethod.Put));
            Assert.That(form["memory"], Is.EqualTo("2048"));
            Assert.That(form["onboot"], Is.EqualTo("1"));
            Assert.That(form["delete"], Is.EqualTo("net1,description"));
            Assert.That(form["digest"], Is.EqualTo("0123456789abcdef0123456789abcdef01234567"));
        });
    }

    [Test]
    public void UpdateConfigAsync_StaleDigest_PreconditionFailed()
    {
        using var host = GatewayTestHost.Create(_ => Error(500, "detected modified configuration - file changed by other user? Try again."), out _);

        Assert.ThrowsAsync<PreconditionFailedException>(() =>
            host.Gateway.UpdateConfigAsync("pve", 101, new ContainerConfigUpdate { Cores = 2, Digest = new string('a', 40) }, CancellationToken.None));
    }

    [Test]
    public void GetConfigAsync_LockedMessage_ConflictLocked()
    {
        using var host = GatewayTestHost.Create(_ => Error(500, "CT is locked (backup)"), out var handler);

        var ex = Assert.ThrowsAsync<ConflictException>(() => host.Gateway.GetConfigAsync("pve", 101, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_locked"));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "a semantic 500 is not retried");
    }

    [Test]
    public void GetStatusAsync_ReasonPhraseOnly_StillClassified()
    {
        // Hosts older than PVE 8.3 put the message only in the status line.
        using var host = GatewayTestHost.Create(_ => Empty(500, "Configuration file 'nodes/pve/lxc/999.conf' does not exist"), out _);

        var ex = Assert.ThrowsAsync<NotFoundException>(() => host.Gateway.GetStatusAsync("pve", 999, CancellationToken.None));

        Assert.That(ex!.Code, Is.EqualTo("container_not_found"));
    }

    [Test]
    public void UpdateConfigAsync_ParameterError_ValidationWithField()
    {
        using var host = GatewayTestHost.Create(_ => Error(400, "Parameter verification failed.", """{"memory":"value must have a minimum value of 16\n"}"""), out _);

        var ex = Assert.ThrowsAsync<RequestValidationException>(() =>
            host.Gateway.UpdateConfigAsync("pve", 101, new ContainerConfigUpdate { MemoryMiB = 1 }, CancellationToken.None));

        Assert.That(ex!.Errors["memory"], Is.EqualTo(new[] { "value must have a minimum value of 16" }));
    }

    [Test]
    public async Task GetStatusAsync_TransientFailuresThenSuccess_Retried()
    {
        var calls = 0;
        using var host = GatewayTestHost.Create(_ => Interlocked.Increment(ref calls) switch
        {
            1 => Empty(500, "Internal Server Error"),
            2 => Empty(595, "Connection refused"),
            _ => Data("""{"vmid":101,"status":"running","cpus":2,"maxmem":1073741824}"""),
        }, out var handler);

        var status = await host.Gateway.GetStatusAsync("pve", 101, CancellationToken.None);

        Assert.That(status.Status, Is.EqualTo("running"));
        Assert.That(handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void StartAsync_Transient595_NotRetried()
    {
        using var host = GatewayTestHost.Create(_ => Empty(595, "No route to host"), out var handler);

        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => host.Gateway.StartAsync("pve", 101, CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AnyCall_BreakerOpen_FailsFast()
    {
        using var host = GatewayTestHost.Create(_ => Empty(503, "Service Unavailable"), out var handler, s =>
        {
            s["Proxmox:MaxRetries"] = "0";
            s["Proxmox:BreakerMinimumThroughput"] = "4";
            s["Proxmox:BreakerBreakDuration"] = "00:00:30";
        });
        for (var i = 0; i < 4; i++)
        {
            try
            {
                await host.Gateway.GetVersionAsync(CancellationToken.None);
            }
            catch (ProxmoxUnavailableException)
            {
            }
        }

        var sent = handler.Requests.Count;
        var ex = Assert.ThrowsAsync<ProxmoxUnavailableException>(() => host.Gateway.GetVersionAsync(CancellationToken.None));

        // Failing fast = failing without a request to Proxmox (deterministic, unlike a time bound).
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("circuit open"));
            Assert.That(handler.Requests, Has.Count.EqualTo(sent), "no request reaches Proxmox while the circuit is open");
        });
    }

    [Test]
    public async Task TicketAuth_LoginCookieAndCsrfOnWrites_ReloginOn401()
    {
        var tickets = 0;
        var rejectNext = false;
        using var host = GatewayTestHost.Create(r =>
        {
            if (r.Path.EndsWith("/access/ticket", StringComparison.Ordinal))
            {
                var n = Interlocked.Increment(ref tickets);
                return Data($$"""{"username":"root@pam","ticket":"PVE:root@pam:0000000{{n}}::sig","CSRFPreventionToken":"0000000{{n}}:csrf"}""");
            }

            if (rejectNext)
            {
                rejectNext = false;
                return Empty(401, "Authentication failed!");
            }

            return r.Method == HttpMethod.Get ? Data("""{"version":"9.1.1"}""") : Data($"\"{StartUpid}\"");
        }, out var handler, s =>
        {
            s.Remove("Proxmox:TokenId");
            s.Remove("Proxmox:TokenSecret");
            s["Proxmox:Username"] = "root@pam";
            s["Proxmox:Password"] = "pw";
        });

        await host.Gateway.GetVersionAsync(CancellationToken.None);
        await host.Gateway.StartAsync("pve", 101, CancellationToken.None);
        rejectNext = true;
        await host.Gateway.GetVersionAsync(CancellationToken.None);

        var requests = handler.Requests;
        var login = requests[0];
        var get = requests[1];
        var post = requests[2];
        Assert.Multiple(() =>
        {
            Assert.That(login.Body, Is.EqualTo("username=root%40pam&password=pw"));
            Assert.That(get.Headers["Cookie"], Is.EqualTo("PVEAuthCookie=PVE%3Aroot%40pam%3A00000001%3A%3Asig"));
            Assert.That(get.Headers.ContainsKey("CSRFPreventionToken"), Is.False);
            Assert.That(post.Headers["CSRFPreventionToken"], Is.EqualTo("00000001:csrf"));
            Assert.That(tickets, Is.EqualTo(2), "a 401 triggers exactly one new login");
            Assert.That(requests[^1].Headers["Cookie"], Does.Contain("00000002"));
        });
    }

    [Test]
    public void TicketAuth_WrongPassword_ProxmoxErrorWithoutSecret()
    {
        using var host = GatewayTestHost.Create(_ => Error(401, "authentication failure"), out _, s =>
        {
            s.Remove("Proxmox:TokenId");
            s.Remove("Proxmox:TokenSecret");
            s["Proxmox:Username"] = "root@pam";
            s["Proxmox:Password"] = "hunter2-secret";
        });

        var ex = Assert.ThrowsAsync<ProxmoxErrorException>(() => host.Gateway.GetVersionAsync(CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(502));
            Assert.That(ex.ToString(), Does.Not.Contain("hunter2"));
        });
    }

    [TestCase("OK", ProxmoxTaskOutcome.Succeeded, 0)]
    [TestCase("WARNINGS: 3", ProxmoxTaskOutcome.SucceededWithWarnings, 3)]
    [TestCase("unable to create CT 150 - no space left", ProxmoxTaskOutcome.Failed, 0)]
    public async Task WaitForTaskAsync_RunningThenStopped_FinalOutcome(string exit, ProxmoxTaskOutcome expected, int warnings)
    {
        var polls = 0;
        using var host = GatewayTestHost.Create(_ => Interlocked.Increment(ref polls) < 3
            ? Data("""{"status":"running"}""")
            : Data($$"""{"status":"stopped","exitstatus":"{{exit}}"}"""), out _);
        var task = StartTask;

        var status = await host.Gateway.WaitForTaskAsync(task, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Outcome, Is.EqualTo(expected));
            Assert.That(status.WarningCount, Is.EqualTo(warnings));
            Assert.That(status.Error, expected == ProxmoxTaskOutcome.Failed ? Is.EqualTo(exit) : Is.Null);
            Assert.That(polls, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task WaitForTaskAsync_NeverStops_ReturnsRunningAfterMaxWait()
    {
        using var host = GatewayTestHost.Create(_ => Data("""{"status":"running"}"""), out _);
        var watch = Stopwatch.StartNew();

        var status = await host.Gateway.WaitForTaskAsync(StartTask, TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.That(status.IsRunning, Is.True);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void WaitForTaskAsync_Cancelled_Throws()
    {
        using var host = GatewayTestHost.Create(_ => Data("""{"status":"running"}"""), out _);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        Assert.CatchAsync<OperationCanceledException>(() =>
            host.Gateway.WaitForTaskAsync(StartTask, TimeSpan.FromMinutes(1), cts.Token));
    }

    [Test]
    public async Task GetTaskLogTailAsync_LongLog_RequestsLastLines()
    {
        using var host = GatewayTestHost.Create(r => r.PathAndQuery.Contains("start=0", StringComparison.Ordinal)
            ? Json("""{"data":[{"n":1,"t":"a"},{"n":2,"t":"b"}],"total":7}""")
            : Json("""{"data":[{"n":6,"t":"WARN: x"},{"n":7,"t":"TASK WARNINGS: 1"}],"total":7}"""), out var handler);

        var log = await host.Gateway.GetTaskLogTailAsync(StartTask, 2, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(log.Total, Is.EqualTo(7));
            Assert.That(log.Lines.Select(l => l.Text), Is.EqualTo(new[] { "WARN: x", "TASK WARNINGS: 1" }));
            Assert.That(handler.Requests[^1].PathAndQuery, Does.Contain("start=5&limit=2"));
            Assert.That(handler.Requests[0].Path, Does.Contain("/tasks/UPID%3Apve%3A"));
        });
    }

    [Test]
    public async Task GetInterfacesAsync_StoppedContainerNullData_Empty()
    {
        using var host = GatewayTestHost.Create(_ => Data("null"), out _);

        Assert.That(await host.Gateway.GetInterfacesAsync("pve", 101, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task GetInterfacesAsync_LegacyFieldsOnly_AddressesParsed()
    {
        using var host = GatewayTestHost.Create(_ => Data("""[{"name":"eth0","hwaddr":"BC:24:11:00:00:01","inet":"10.0.0.5/24","inet6":"fd00::5/64"}]"""), out _);

        var interfaces = await host.Gateway.GetInterfacesAsync("pve", 101, CancellationToken.None);

        Assert.That(interfaces.Single().Addresses, Is.EqualTo(new[]
        {
            new ContainerIpAddress("10.0.0.5", "inet", 24), new ContainerIpAddress("fd00::5", "inet6", 64),
        }));
    }

    [Test]
    public void GetVersionAsync_ConnectionRefused_Unavailable()
    {
        using var host = GatewayTestHost.Create(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"), out var handler,
            s => s["Proxmox:MaxRetries"] = "1");

        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => host.Gateway.GetVersionAsync(CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void GetVersionAsync_ConnectionResetWhileConnecting_RetriedThenUnavailable()
    {
        // What SocketsHttpHandler throws, unwrapped, when Proxmox resets a connection as it is made.
        using var host = GatewayTestHost.Create(_ => throw new SocketException((int)SocketError.NotConnected), out var handler,
            s => s["Proxmox:MaxRetries"] = "1");

        var ex = Assert.ThrowsAsync<ProxmoxUnavailableException>(() => host.Gateway.GetVersionAsync(CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Is.EqualTo("Proxmox cannot be reached (NotConnected)."));
            Assert.That(handler.Requests, Has.Count.EqualTo(2), "a read is retried");
        });
    }

    [Test]
    public void StartAsync_ConnectionResetWhileConnecting_UnavailableNotLost()
    {
        using var host = GatewayTestHost.Create(_ => throw new SocketException((int)SocketError.ConnectionReset), out var handler,
            s => s["Proxmox:MaxRetries"] = "2");

        // Nothing was sent: the write did not happen, so the caller may try again (not "outcome unknown").
        Assert.ThrowsAsync<ProxmoxUnavailableException>(() => host.Gateway.StartAsync("pve", 101, CancellationToken.None));
        Assert.That(handler.Requests, Has.Count.EqualTo(1), "a write is never retried");
    }

    [Test]
    public void GetVersionAsync_AttemptTimeout_ProxmoxTimeout()
    {
        using var host = GatewayTestHost.Create(_ => Data("""{"version":"9"}"""), out var handler, s =>
        {
            s["Proxmox:MaxRetries"] = "0";
            s["Proxmox:AttemptTimeout"] = "00:00:00.100";
        });
        handler.Delay = TimeSpan.FromSeconds(2);

        Assert.ThrowsAsync<ProxmoxTimeoutException>(() => host.Gateway.GetVersionAsync(CancellationToken.None));
    }

    [Test]
    public void ResizeDiskAsync_Shrink_ValidationError()
    {
        using var host = GatewayTestHost.Create(_ => Error(500, "unable to shrink disk size"), out var handler);

        Assert.ThrowsAsync<RequestValidationException>(() =>
            host.Gateway.ResizeDiskAsync("pve", 101, "rootfs", DiskResize.ToAbsolute(2), CancellationToken.None));
        Assert.That(System.Web.HttpUtility.ParseQueryString(handler.Requests.Single().Body!)["size"], Is.EqualTo("2G"));
    }

    [Test]
    public void UpdateConfigAsync_DigestWithTrailingNewline_RejectedBeforeAnyCall()
    {
        var calls = 0;
        using var host = GatewayTestHost.Create(_ =>
        {
            calls++;
            return Data("null");
        }, out _);
        var update = new ContainerConfigUpdate { Cores = 2, Digest = "0123456789abcdef0123456789abcdef01234567\n" };

        Assert.ThrowsAsync<RequestValidationException>(() => host.Gateway.UpdateConfigAsync("pve", 101, update, CancellationToken.None));
        Assert.That(calls, Is.Zero);
    }
}
