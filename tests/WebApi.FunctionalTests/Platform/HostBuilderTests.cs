using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Logging.EventSource;
using Microsoft.Extensions.Options;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Platform;

/// <summary>
/// What the service's host builder must keep of ASP.NET Core's defaults although it starts from the slim builder: the
/// console log format chosen by configuration (README: <c>Logging__Console__FormatterName=json</c>) and the
/// EventSource logger that dotnet-trace and dotnet-monitor read. (HTTPS from configuration: EndToEnd
/// <c>HttpsEndpointTests</c>.)
/// </summary>
[TestFixture]
public sealed class HostBuilderTests
{
    [TestCase("json")]
    [TestCase("systemd")]
    public async Task ConsoleFormatterName_FromConfiguration_IsTheOneTheConsoleLoggerUses(string formatter)
    {
        await using var factory = new ApiFactory();
        factory.Settings["Logging:Console:FormatterName"] = formatter;

        var options = factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        Assert.That(options.FormatterName, Is.EqualTo(formatter));
    }

    [Test]
    public async Task LoggerProviders_IncludeConsoleAndEventSource()
    {
        await using var factory = new ApiFactory();

        var providers = factory.Services.GetServices<ILoggerProvider>().Select(p => p.GetType()).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(providers, Does.Contain(typeof(ConsoleLoggerProvider)));
            Assert.That(providers, Does.Contain(typeof(EventSourceLoggerProvider)));
        });
    }
}
