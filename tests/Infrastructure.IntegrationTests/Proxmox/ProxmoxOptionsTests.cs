using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Infrastructure.Proxmox;
using static ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox.FakeProxmoxHandler;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

[TestFixture]
public sealed class ProxmoxOptionsTests
{
    [Test]
    public void Validate_TokenSettings_Succeeds() =>
        Assert.That(Validate(GatewayTestHost.FastSettings()).Succeeded, Is.True);

    [Test]
    public void Validate_BothAuthModes_Fails()
    {
        var settings = GatewayTestHost.FastSettings();
        settings["Proxmox:Username"] = "root@pam";
        settings["Proxmox:Password"] = "pw";

        Assert.That(Validate(settings).FailureMessage, Does.Contain("exactly one"));
    }

    [Test]
    public void Validate_NoAuthMode_Fails()
    {
        var settings = GatewayTestHost.FastSettings();
        settings.Remove("Proxmox:TokenId");
        settings.Remove("Proxmox:TokenSecret");

        Assert.That(Validate(settings).Failed, Is.True);
    }

    [TestCase("not-a-fingerprint")]
    [TestCase("AB:CD")]
    public void Validate_BadFingerprint_Fails(string fingerprint)
    {
        var settings = GatewayTestHost.FastSettings();
        settings["Proxmox:CertificateFingerprint"] = fingerprint;

        Assert.That(Validate(settings).FailureMessage, Does.Contain("CertificateFingerprint"));
    }

    [Test]
    public void Validate_PinnedAndSkip_Fails()
    {
        var settings = GatewayTestHost.FastSettings();
        settings["Proxmox:CertificateFingerprint"] = new string('a', 64);
        settings["Proxmox:SkipCertificateValidation"] = "true";

        Assert.That(Validate(settings).Failed, Is.True);
    }

    [Test]
    public void Validate_MissingBaseUrl_FailsWithoutLeakingSecret()
    {
        var settings = GatewayTestHost.FastSettings("");

        var result = Validate(settings);

        Assert.That(result.FailureMessage, Does.Contain("BaseUrl"));
        Assert.That(result.FailureMessage, Does.Not.Contain("11111111-2222"));
    }

    [Test]
    public void Bind_EmulatorEnabled_Bound()
    {
        var settings = GatewayTestHost.FastSettings();
        settings["Proxmox:Emulator:Enabled"] = "true";
        using var host = GatewayTestHost.Create(settings);

        Assert.That(host.Provider.GetRequiredService<IOptions<ProxmoxOptions>>().Value.Emulator.Enabled, Is.True);
    }

    [Test]
    public async Task Metrics_Call_RecordedWithOperationTag()
    {
        using var host = GatewayTestHost.Create(_ => Data("""{"version":"9.1"}"""), out _);
        var operations = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ProxmoxLxc.Proxmox" && instrument.Name == "proxmox.calls")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                    operations.Add((string)tag.Value!);
            }
        });
        listener.Start();

        await host.Gateway.GetVersionAsync(CancellationToken.None);

        Assert.That(operations, Does.Contain("version"));
    }

    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings)
    {
        var options = new ProxmoxOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Proxmox").Bind(options);
        return new ProxmoxOptionsValidator().Validate(null, options);
    }
}
