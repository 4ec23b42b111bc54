using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxEmulator;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class HostingExtensionTests
{
    [Test]
    public async Task MapProxmoxEmulator_InWebApplication_ServesApiAndControlEndpoints()
    {
        using var certificate = EmulatorCertificate.Create();
        var fingerprint = EmulatorCertificate.Fingerprint(certificate);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Services.AddProxmoxEmulator(new EmulatorOptions());
        await using var app = builder.Build();
        app.MapProxmoxEmulator();
        await app.StartAsync();
        var url = app.Urls.First();

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => EmulatorCertificate.Fingerprint(cert!) == fingerprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
        var engine = app.Services.GetRequiredService<EmulatorEngine>();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", engine.DefaultTokenHeader);

        using var api = await client.GetAsync("/api2/json/nodes/pve1/lxc");
        using var unknown = await client.GetAsync("/api2/json/nodes/pve1/nothing");
        using var journal = await client.GetAsync("/_emulator/journal");
        Assert.Multiple(() =>
        {
            Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)unknown.StatusCode, Is.EqualTo(501));
            Assert.That(journal.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(engine.Journal.TotalCount, Is.EqualTo(2));
        });
        await app.StopAsync();
    }
}
