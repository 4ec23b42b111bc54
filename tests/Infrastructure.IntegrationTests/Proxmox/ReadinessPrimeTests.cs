using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Moq;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox;

namespace ProxmoxLxc.Infrastructure.IntegrationTests.Proxmox;

/// <summary>
/// The start-up prime of the Proxmox readiness check, in a real generic host built with AddProxmoxGateway (the gateway
/// itself is a mock, so each test scripts Proxmox's answers and counts the calls).
/// </summary>
public sealed class ReadinessPrimeTests
{
    private static IHost BuildHost(Mock<IProxmoxGateway> gateway)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(GatewayTestHost.FastSettings());
        builder.Services.AddLogging();
        builder.Services.AddProxmoxGateway(builder.Configuration);
        builder.Services.AddSingleton(gateway.Object);
        return builder.Build();
    }

    private static Task<HealthReport> ReadyAsync(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

    [Test]
    public async Task Start_ProxmoxAnswers_FirstReadinessProbeUsesThePrimedAnswer()
    {
        var gateway = new Mock<IProxmoxGateway>();
        gateway.Setup(g => g.GetVersionAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new ProxmoxVersion("9.1.1", "9.1", null));
        using var host = BuildHost(gateway);

        await host.StartAsync();
        gateway.Verify(g => g.GetVersionAsync(It.IsAny<CancellationToken>()), Times.Once, "primed while the host started");
        var report = await ReadyAsync(host);
        await host.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(report.Entries["proxmox"].Description, Is.EqualTo("Proxmox VE 9.1.1 reachable."));
        });
        gateway.Verify(g => g.GetVersionAsync(It.IsAny<CancellationToken>()), Times.Once, "the probe did not ask again");
    }

    [Test]
    public async Task Start_ProxmoxDownThenUp_FailedPrimeIsNotCachedAndTheProbeAsksAgain()
    {
        var gateway = new Mock<IProxmoxGateway>();
        gateway.SetupSequence(g => g.GetVersionAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProxmoxUnavailableException("Proxmox cannot be reached (ConnectionError)."))
            .ReturnsAsync(new ProxmoxVersion("9.1.1", "9.1", null));
        using var host = BuildHost(gateway);

        await host.StartAsync();
        var report = await ReadyAsync(host);
        await host.StopAsync();

        Assert.That(report.Status, Is.EqualTo(HealthStatus.Healthy));
        gateway.Verify(g => g.GetVersionAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task Start_ProxmoxNeverAnswers_StartsWithoutItAndTheStopCancelsThePrime()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gateway = new Mock<IProxmoxGateway>();
        gateway.Setup(g => g.GetVersionAsync(It.IsAny<CancellationToken>()))
            .Returns(async (CancellationToken token) =>
            {
                await using (token.Register(() => cancelled.TrySetResult()))
                {
                    await Task.Delay(Timeout.Infinite, token);
                }

                return new ProxmoxVersion("never", null, null);
            });
        using var host = BuildHost(gateway);

        await host.StartAsync(); // completes: the start waits for the prime at most ProxmoxStartup.PrimeWait
        Assert.That(cancelled.Task.IsCompleted, Is.False, "the prime is still waiting for Proxmox after the start");
        await host.StopAsync();

        Assert.That(cancelled.Task.IsCompleted, Is.True, "stopping the host cancelled the prime");
    }
}
