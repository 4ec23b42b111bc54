using System.Diagnostics;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// Swagger UI in a real browser (Debian's Chromium, headless, driven by playwright-core from the repository's
/// node_modules) against the real service on Kestrel: Authorize with a key, Try it out, Execute, see the 200.
/// Screenshot: <c>TestResults/swagger-ui.png</c> at the repository root.
/// </summary>
// Provider-independent (SQLite only, not in the provider matrix): the browser drives the documentation UI, and the one
// call it executes is a read of containers from Proxmox.
[TestFixture]
public sealed class SwaggerUiTests : ServiceFixture
{
    /// <summary>The operation executed in the browser (tag, operationId, a string its rendered body must contain).</summary>
    private static readonly (string Tag, string OperationId, string Expected) Probe = ("Containers", "Containers_List", "web1");
    // Before the containers endpoints existed: ("Keys", "Keys_List", "bootstrap-admin").

    [Test]
    public async Task SwaggerUi_AuthorizeAndExecute_RendersThe200()
    {
        var root = ServiceProcess.RepositoryRoot;
        var script = Path.Combine(TestContext.CurrentContext.TestDirectory, "SwaggerUi", "swagger-ui.mjs");
        Assert.That(File.Exists(Path.Combine(root, "node_modules", "playwright-core", "package.json")), Is.True,
            "playwright-core is missing: run `npm ci` at the repository root (test.sh does).");
        Assert.That(File.Exists(Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium"), Is.True,
            "Chromium is missing: `apt-get install -y chromium` (test.sh does when running as root).");
        var screenshot = Path.Combine(root, "TestResults", "swagger-ui.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[script, Service.BaseAddress.ToString(), ServiceProcess.AdminKey, Probe.Tag, Probe.OperationId, screenshot, root])
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        var stdout = await output;
        var stderr = await error;
        TestContext.Out.WriteLine(stdout);
        TestContext.Out.WriteLine(stderr);
        if (File.Exists(screenshot))
        {
            TestContext.AddTestAttachment(screenshot, "Swagger UI after Execute");
        }

        Assert.Multiple(() =>
        {
            Assert.That(node.ExitCode, Is.Zero, $"{stdout}\n{stderr}");
            Assert.That(stdout, Does.Contain("\"status\":\"200\""));
            Assert.That(stdout, Does.Contain(Probe.Expected), "The executed call's body is rendered.");
            Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000));
        });
    }
}
