using Microsoft.Extensions.Logging.Console;

namespace ProxmoxLxc.WebApi.Hosting;

/// <summary>
/// The service starts from <c>WebApplication.CreateSlimBuilder</c>: it leaves out what this service never uses, and with
/// it four assemblies (docs/benchmarks.md, runs L1/L2). These are the defaults of the full builder the service does use,
/// put back.
/// </summary>
/// <remarks>
/// Left out on purpose (compared service by service with <c>CreateBuilder</c>, ASP.NET Core 10): IIS, HTTP/3 (QUIC),
/// the Debug logger, static web assets in Development, the <c>Metrics</c> configuration section (it configures
/// <c>IMetricsBuilder</c> listeners; none is registered, OpenTelemetry has its own) and the optional
/// <c>ProxmoxLxc.WebApi.settings.json</c> files (configuration comes from <c>appsettings*.json</c> and the environment).
/// </remarks>
internal static class SlimBuilderDefaults
{
    public static WebApplicationBuilder AddDefaultsTheServiceUses(this WebApplicationBuilder builder)
    {
        // HTTPS endpoints from configuration (Kestrel:Certificates:Default, Kestrel:Endpoints).
        builder.WebHost.UseKestrelHttpsConfiguration();

        // The logger dotnet-trace and dotnet-monitor read.
        builder.Logging.AddEventSourceLogger();

        // The slim builder adds the console logger with its formatter fixed to "simple"; bound again after that, the
        // configuration chooses it as under the full builder (Logging:Console:FormatterName = json or systemd).
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
        return builder;
    }
}
