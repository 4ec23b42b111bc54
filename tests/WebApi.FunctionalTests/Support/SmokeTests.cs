using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Support;

[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class SmokeTests(DatabaseProvider provider)
{
    [Test]
    public async Task HealthReady_WithBundledEmulator_ReportsDatabaseAndProxmoxHealthy()
    {
        await using var factory = new ApiFactory(new() { Database = TestDatabase.Create(provider) });
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        TestContext.Out.WriteLine(string.Join(";", factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>().SelectMany(s => s.Endpoints).Select(e => e.DisplayName)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Does.Contain("\"database\"").And.Contain("\"proxmox\""));
        });
    }
}
