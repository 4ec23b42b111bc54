using ProxmoxEmulator;

// Standalone Proxmox VE emulator:
//   dotnet run --project tools/ProxmoxEmulator.Host -- --urls https://127.0.0.1:8006
// Options come from the "Emulator" configuration section (appsettings.json, env vars Emulator__..., command line).
var builder = WebApplication.CreateBuilder(args);
var options = new EmulatorOptions();
builder.Configuration.GetSection("Emulator").Bind(options);
var certificate = EmulatorCertificate.Create();
var fingerprint = EmulatorCertificate.Fingerprint(certificate);
builder.Services.AddProxmoxEmulator(options);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
    kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
});
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
    builder.WebHost.UseUrls("https://127.0.0.1:8006");

var app = builder.Build();
var engine = app.Services.GetRequiredService<EmulatorEngine>();
engine.CertificateFingerprint = fingerprint;
app.MapProxmoxEmulator();
await app.StartAsync();

foreach (var url in app.Urls)
    Console.WriteLine($"Proxmox VE emulator listening on {url}/api2/json");
Console.WriteLine($"Certificate SHA-256 fingerprint: {fingerprint}");
foreach (var token in engine.Options.Tokens)
    Console.WriteLine($"API token: Authorization: PVEAPIToken={token.TokenId}={token.Secret}");
foreach (var user in engine.Options.Users)
    Console.WriteLine($"User: {user.UserId} password: {user.Password}");
Console.WriteLine("Control API: GET|POST|DELETE /_emulator/faults, GET|DELETE /_emulator/journal, GET /_emulator/info");
await app.WaitForShutdownAsync();
