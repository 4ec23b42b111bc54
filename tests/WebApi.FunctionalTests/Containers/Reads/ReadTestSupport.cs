using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProxmoxEmulator;

namespace ProxmoxLxc.WebApi.FunctionalTests.Containers.Reads;

/// <summary>Helpers for the read-side tests: JSON bodies, problem codes, operation-log rows and emulator seeding.</summary>
internal static class ReadTestSupport
{
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public static IReadOnlyList<string> ErrorKeys(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(p => p.Name).ToList() : [];

    public static IReadOnlyList<int> VmIds(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("vmid").GetInt32()).ToList();

    /// <summary>Creates a container directly in the emulator (its own API) and waits for the create task.</summary>
    public static async Task CreateInEmulatorAsync(ProxmoxEmulatorServer emulator, int vmid, string node, string hostname, string? tags = null, string? pool = null)
    {
        using var client = emulator.CreateClient();
        var form = new Dictionary<string, string>
        {
            ["vmid"] = vmid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ostemplate"] = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
            ["hostname"] = hostname,
            ["rootfs"] = "local-lvm:2",
        };
        if (tags is not null)
        {
            form["tags"] = tags;
        }

        if (pool is not null)
        {
            form["pool"] = pool;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri($"nodes/{node}/lxc", UriKind.Relative), content);
        var envelope = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, envelope.ToString());
        var task = await emulator.State.WaitForTaskAsync(envelope.GetProperty("data").GetString()!);
        Assert.That(task.ExitStatus, Is.EqualTo("OK"));
    }

    /// <summary>Takes a snapshot directly in the emulator and waits for the task.</summary>
    public static async Task SnapshotInEmulatorAsync(ProxmoxEmulatorServer emulator, string node, int vmid, string name, string description)
    {
        using var client = emulator.CreateClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["snapname"] = name, ["description"] = description });
        using var response = await client.PostAsync(new Uri($"nodes/{node}/lxc/{vmid}/snapshot", UriKind.Relative), content);
        var envelope = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, envelope.ToString());
        var task = await emulator.State.WaitForTaskAsync(envelope.GetProperty("data").GetString()!);
        Assert.That(task.ExitStatus, Is.EqualTo("OK"));
    }
}
