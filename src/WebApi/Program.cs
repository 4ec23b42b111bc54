using Microsoft.Extensions.Logging.Console;
using ProxmoxLxc.Application;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Infrastructure;
using ProxmoxLxc.Infrastructure.Operations;
using ProxmoxLxc.Infrastructure.Proxmox;
using ProxmoxLxc.WebApi;
using ProxmoxLxc.WebApi.Authentication;
using ProxmoxLxc.WebApi.Cli;
using ProxmoxLxc.WebApi.ErrorHandling;
using ProxmoxLxc.WebApi.Hosting;
using ProxmoxLxc.WebApi.OpenApi;

// First thing: glibc creates an arena for each new thread that allocates natively until it has a limit (NativeHeap).
var nativeHeap = NativeHeap.LimitArenas();

if (HealthProbe.Handles(args))
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateSlimBuilder(args).AddDefaultsTheServiceUses();
var commandLine = KeysCommandLine.Handles(args);

// Hosted services start in this order: the bundled emulator (when on), then the gateway's start-up service, which asks
// Proxmox for readiness in the background while the database initializer (registered by AddInfrastructure) migrates.
BundledEmulator.AddIfEnabled(builder);
builder.Services.AddProxmoxGateway(builder.Configuration);
builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddWebApi();
builder.Services.AddApiRateLimiting(builder.Configuration);
builder.Services.AddApiTelemetry();
NativeHeapTrimmer.AddIfGlibc(builder.Services, nativeHeap);
if (commandLine)
{
    builder.Services.AddScoped<ICurrentCaller>(_ => new FixedCurrentCaller(CallerIdentity.CommandLine));
    // stdout carries only the verb's result (the key): every log line goes to stderr (e.g. what EF Core logs while it
    // migrates an empty PostgreSQL database).
    builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}

var app = builder.Build();
if (commandLine)
{
    return await KeysCommandLine.RunAsync(app, args, Console.Out, Console.Error);
}

// Migrations and the bootstrap key start now, in the background: mapping the endpoints, the other services and the web
// server start meanwhile (requests wait for the database at DatabaseStartupGate).
app.Services.BeginDatabaseStartup();

app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseMiddleware<RequestIdMiddleware>();
app.UseMiddleware<DatabaseStartupGate>();
app.UseMiddleware<OperationLogMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodeProblems();
app.UseOpenApiDocumentAndUi();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<RequestCharsetMiddleware>();

app.MapControllers();
app.MapHealthEndpoints();
app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
_ = app.Services.GetRequiredService<OperationMetrics>();

await app.RunAsync();
return 0;
