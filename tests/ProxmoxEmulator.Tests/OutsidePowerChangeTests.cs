using System.Net;
using System.Net.Http.Json;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

/// <summary><c>POST /_emulator/power</c>: a container's state changed outside any API client (no task is created).</summary>
public class OutsidePowerChangeTests : EmulatorTestBase
{
    [Test]
    public async Task ControlPower_StopThenStart_StatusChangesWithoutATask()
    {
        using var control = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseUrl };

        using (var stop = await control.PostAsJsonAsync("/_emulator/power", new { vmid = 100, running = false }))
        {
            Assert.That(stop.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (_, stopped) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc/100/status/current");
        var (_, resources) = await SendAsync(HttpMethod.Get, "cluster/resources?type=vm");
        using (var start = await control.PostAsJsonAsync("/_emulator/power", new { vmid = 100, running = true }))
        {
            Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (_, running) = await SendAsync(HttpMethod.Get, "nodes/pve1/lxc/100/status/current");
        Assert.Multiple(() =>
        {
            Assert.That(stopped!["data"]!["status"]!.GetValue<string>(), Is.EqualTo("stopped"));
            Assert.That(resources!["data"]!.AsArray().Single(r => r!["vmid"]!.GetValue<int>() == 100)!["status"]!.GetValue<string>(), Is.EqualTo("stopped"));
            Assert.That(running!["data"]!["status"]!.GetValue<string>(), Is.EqualTo("running"));
            Assert.That(Server.State.Tasks, Is.Empty, "a change outside the API leaves no task of the client's token");
        });
    }

    [Test]
    public async Task ControlPower_UnknownContainer_400()
    {
        using var control = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseUrl };

        using var response = await control.PostAsJsonAsync("/_emulator/power", new { vmid = 4242, running = false });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ControlLock_SetThenClear_StartRefusedWhileLocked()
    {
        using var control = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseUrl };

        using (var set = await control.PostAsJsonAsync("/_emulator/lock", new { vmid = 101, @lock = "backup" }))
        {
            Assert.That(set.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (_, config) = await SendAsync(HttpMethod.Get, "nodes/pve2/lxc/101/config");
        var locked = Server.State.FindContainer(101)!.Lock;
        using (var clear = await control.PostAsJsonAsync("/_emulator/lock", new { vmid = 101, @lock = (string?)null }))
        {
            Assert.That(clear.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.Multiple(() =>
        {
            Assert.That(locked, Is.EqualTo("backup"));
            Assert.That(config!["data"]!["lock"]!.GetValue<string>(), Is.EqualTo("backup"));
            Assert.That(Server.State.FindContainer(101)!.Lock, Is.Null);
        });
    }
}
