using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Writes;

[TestFixture]
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class CreateContainerTests(DatabaseProvider provider) : ApiFixture(provider)
{
    [Test]
    public async Task Create_WithNodeVmIdAndOptions_PassesEverythingToProxmox()
    {
        using var client = Factory.CreateAdminClient();
        var done = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("opts1", b =>
        {
            b["node"] = "pve2";
            b["vmid"] = 510;
            b["cpuLimit"] = 1.5;
            b["cpuUnits"] = 200;
            b["unprivileged"] = false;
            b["features"] = new JsonObject { ["nesting"] = true, ["fuse"] = true };
            b["onBoot"] = true;
            b["start"] = true;
            b["pool"] = "web";
            b["nameserver"] = "10.0.0.2 10.0.0.3";
            b["searchDomain"] = "example.org";
            b["mountPoints"] = new JsonArray(new JsonObject { ["storage"] = "local-lvm", ["sizeGiB"] = 2, ["path"] = "/srv/data" });
        }));
        Assert.That(done.GetProperty("vmid").GetInt32(), Is.EqualTo(510));
        var ct = Factory.Emulator.State.FindContainer(510)!;
        Assert.Multiple(() =>
        {
            Assert.That(ct.Node, Is.EqualTo("pve2"));
            Assert.That(ct.Pool, Is.EqualTo("web"));
            Assert.That(ct.Running, Is.True);
            Assert.That(ct.Config["unprivileged"], Is.EqualTo("0"));
            Assert.That(ct.Config["features"], Does.Contain("nesting=1").And.Contain("fuse=1"));
            Assert.That(ct.Config["cpulimit"], Is.EqualTo("1.5"));
            Assert.That(ct.Config["mp0"], Does.Contain("mp=/srv/data"));
            Assert.That(ct.Config["searchdomain"], Is.EqualTo("example.org"));
        });
    }

    [Test]
    public async Task Create_WithoutNode_PlacesOnOnlineNodeWithMostFreeMemoryHoldingTheTemplate()
    {
        using var client = Factory.CreateAdminClient();
        var state = Factory.Emulator.State;
        // pve2 gets more memory: it is chosen for Debian, but Alpine only exists on pve1.
        state.Mutate(s => s.FindNode("pve2")!.MaxMem = 256L << 30);
        try
        {
            var debian = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("place1"));
            Assert.That(debian.GetProperty("node").GetString(), Is.EqualTo("pve2"));
            var alpine = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("place2", b => b["template"] = WriteApi.Alpine));
            Assert.That(alpine.GetProperty("node").GetString(), Is.EqualTo("pve1"));
        }
        finally
        {
            state.Mutate(s => s.FindNode("pve2")!.MaxMem = 32L << 30);
        }
    }

    [Test]
    public async Task Create_TemplateMissingOnRequestedNode_Returns422NamingTemplateWithoutCreating()
    {
        using var client = Factory.CreateAdminClient();
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");
        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("tpl1", b =>
        {
            b["node"] = "pve2";
            b["template"] = WriteApi.Alpine;
        }));
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").GetProperty("template")[0].GetString(), Does.Contain("alpine").And.Contain("pve2"));
        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates));
    }

    [Test]
    public async Task Create_TemplateOnNoNode_Returns422()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("tpl2", b => b["template"] = "local:vztmpl/nothing-1.0.tar.zst"));
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity, "validation_failed");
        Assert.That(problem.GetProperty("errors").GetProperty("template")[0].GetString(), Does.Contain("nothing-1.0"));
    }

    [Test]
    public async Task Create_ExistingVmId_Returns409VmIdUnavailable()
    {
        using var client = Factory.CreateAdminClient();
        using var response = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("dup1", b => b["vmid"] = 101));
        await response.ProblemAsync(HttpStatusCode.Conflict, "vmid_unavailable");
    }

    [Test]
    public async Task Create_TwoConcurrentWithoutVmId_BothSucceedWithDifferentIds()
    {
        using var client = Factory.CreateAdminClient();
        var responses = await Task.WhenAll(
            client.PostAsync("/api/v1/containers", WriteApi.CreateBody("race1")),
            client.PostAsync("/api/v1/containers", WriteApi.CreateBody("race2")));
        var ops = new List<long>();
        foreach (var response in responses)
        {
            using (response)
            {
                ops.Add((await response.AcceptedAsync()).GetProperty("id").GetInt64());
            }
        }

        var a = await client.WaitForOperationAsync(ops[0]);
        var b = await client.WaitForOperationAsync(ops[1]);
        Assert.Multiple(() =>
        {
            Assert.That(a.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(b.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
            Assert.That(a.GetProperty("vmid").GetInt32(), Is.Not.EqualTo(b.GetProperty("vmid").GetInt32()));
            Assert.That(Factory.Emulator.State.FindContainer(a.GetProperty("vmid").GetInt32())!.Hostname, Is.AnyOf("race1", "race2"));
            Assert.That(Factory.Emulator.State.FindContainer(b.GetProperty("vmid").GetInt32())!.Hostname, Is.AnyOf("race1", "race2"));
        });
    }

    [Test]
    public async Task Create_WithPasswordAndSshKey_SecretsReachProxmoxButNeverTheDatabaseOrLogs()
    {
        const string password = "S3cret-Passw0rd-xyzzy";
        using var client = Factory.CreateAdminClient();
        var done = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("secret1", b =>
        {
            b["password"] = password;
            b["sshPublicKeys"] = new JsonArray(WriteApi.SshKey);
        }));
        var create = Factory.Emulator.Journal.Entries.Last(e => e.Route == "POST /nodes/{node}/lxc");
        Assert.Multiple(() =>
        {
            Assert.That(create.Parameters.ContainsKey("password"), Is.True, "the password reaches Proxmox (the emulator's journal masks it)");
            Assert.That(create.Parameters["ssh-public-keys"], Is.EqualTo(WriteApi.SshKey));
        });

        var row = await Factory.OperationRowAsync(done.GetProperty("id").GetInt64());
        Assert.That(row.Parameters, Does.Contain("\"password\":\"***\"").And.Contain("\"sshPublicKeys\":\"***\""));

        await using (var db = Factory.NewDbContext())
        {
            var everything = string.Join("\n", await db.OperationLogs.AsNoTracking().Select(o => o.Parameters + o.Changes + o.Error).ToListAsync());
            Assert.That(everything, Does.Not.Contain(password).And.Not.Contain("AAAAC3NzaC1lZDI1NTE5"));
        }

        var logs = Factory.Logs.AllText;
        Assert.That(logs, Does.Not.Contain(password).And.Not.Contain("AAAAC3NzaC1lZDI1NTE5"));
        var file = Factory.Database.SqliteFilePath;
        foreach (var path in file is null ? [] : new[] { file, file + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var bytes = await reader.ReadToEndAsync();
            Assert.That(bytes, Does.Not.Contain(password), path);
        }
    }

    [Test]
    public async Task Create_KeyRestrictedToPool_OutsideRestrictionIs403AndInsideWorks()
    {
        var key = (await Factory.CreateKeyAsync(["containers:write", "containers:read"], "web-writer", new { allowedPools = new[] { "web" } })).Key;
        using var client = Factory.CreateClient(key);
        var creates = Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc");

        using (var noPool = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("r1")))
        {
            var problem = await noPool.ProblemAsync(HttpStatusCode.Forbidden, "resource_restricted");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("web"));
        }

        using (var otherPool = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("r2", b => b["pool"] = "db")))
        {
            var problem = await otherPool.ProblemAsync(HttpStatusCode.Forbidden, "resource_restricted");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("pool"));
        }

        Assert.That(Factory.Emulator.Journal.Count("POST", "/nodes/{node}/lxc"), Is.EqualTo(creates));
        var done = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("r3", b => b["pool"] = "web"));
        Assert.That(Factory.Emulator.State.FindContainer(done.GetProperty("vmid").GetInt32())!.Pool, Is.EqualTo("web"));
    }

    [Test]
    public async Task Create_KeyRestrictedToVmIdRangeAndNode_AllocatesInsideAndRefusesOutside()
    {
        var restriction = new { allowedNodes = new[] { "pve1" }, vmidRange = new { min = 7000, max = 7009 } };
        var key = (await Factory.CreateKeyAsync(["containers:write", "containers:read"], "ranged", restriction)).Key;
        using var client = Factory.CreateClient(key);
        using (var outside = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("v1", b => b["vmid"] = 8000)))
        {
            var problem = await outside.ProblemAsync(HttpStatusCode.Forbidden, "resource_restricted");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("7000").And.Contain("7009"));
        }

        using (var node = await client.PostAsync("/api/v1/containers", WriteApi.CreateBody("v2", b => b["node"] = "pve2")))
        {
            var problem = await node.ProblemAsync(HttpStatusCode.Forbidden, "resource_restricted");
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("pve1"));
        }

        var done = await client.RunAsync(HttpMethod.Post, "/api/v1/containers", WriteApi.CreateBody("v3"));
        Assert.Multiple(() =>
        {
            Assert.That(done.GetProperty("vmid").GetInt32(), Is.InRange(7000, 7009));
            Assert.That(done.GetProperty("node").GetString(), Is.EqualTo("pve1"));
        });
    }
}
