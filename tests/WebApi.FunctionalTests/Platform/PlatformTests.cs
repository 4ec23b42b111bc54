using System.Net;
using System.Text.Json;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

// Provider-independent (SQLite only, not in the provider matrix): per-instance budgets are counted in memory.
[TestFixture]
public sealed class RateLimitingTests
{
    [Test]
    public async Task Requests_OverThePerKeyBudget_Answer429WithRetryAfterAndAreLogged()
    {
        await using var factory = new ApiFactory();
        factory.Settings["RateLimiting:PermitsPerMinute"] = "3";
        using var client = factory.CreateAdminClient();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var limited = await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
        var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(limited.Headers.RetryAfter, Is.Not.Null);
            Assert.That(limited.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("rate_limited"));
        });

        // Another key has its own budget.
        var other = await CreateKeyWithoutSpendingAdminBudgetAsync(factory);
        Assert.That(other, Is.Not.Null);
    }

    private static async Task<HttpStatusCode?> CreateKeyWithoutSpendingAdminBudgetAsync(ApiFactory factory)
    {
        using var anonymous = factory.CreateClient("pxl_AAAAAAAAAAAA_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        using var response = await anonymous.GetAsync(new Uri("/api/v1/keys", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "an unknown key is judged by authentication, not by the admin's budget");
        return response.StatusCode;
    }
}

// Provider-independent (SQLite only, not in the provider matrix): metrics and hosting settings live in the process.
[TestFixture]
public sealed class MetricsAndHostingTests
{
    [Test]
    public async Task Metrics_AfterApiCalls_ExposePrometheusTextWithRequestAndProxmoxFigures()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateAdminClient();
        using (await client.GetAsync(new Uri("/api/v1/keys", UriKind.Relative)))
        using (await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
        {
        }

        string text = string.Empty;
        for (var attempt = 0; attempt < 20 && !text.Contains("proxmoxlxc_operations_open", StringComparison.Ordinal); attempt++)
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            text = await response.Content.ReadAsStringAsync();
            await Task.Delay(100);
        }

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("http_server_request_duration_seconds"));
            Assert.That(text, Does.Contain("http_route=\"api/v1/keys\""));
            Assert.That(text, Does.Contain("proxmoxlxc_operations_open"));
            Assert.That(text, Does.Contain("proxmox_calls_total"));
            Assert.That(text, Does.Contain("proxmox_call_duration_seconds"));
        });
    }

    [Test]
    public void BundledEmulator_InProduction_IsRefused()
    {
        using var factory = new ApiFactory(new() { Environment = "Production" });
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient().Dispose());
        Assert.That(error!.Message, Does.Contain("refused in Production"));
    }
}
