using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ProxmoxEmulator;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

namespace ProxmoxLxc.WebApi.FunctionalTests.Support;

/// <summary>
/// The service over real HTTP (in-memory test server) with its own SQLite file and its own bundled
/// Proxmox emulator (HTTPS on loopback, token auth, pinned fingerprint — the production wiring).
/// </summary>
public class ContainerApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The admin key seeded through <c>Bootstrap:AdminKey</c>.</summary>
    public const string AdminKey = "pxl_TestAdmin001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private readonly string _databasePath;
    private readonly ProxmoxEmulatorServer? _externalEmulator;
    private readonly bool _ownsDatabase;

    /// <summary>Its own SQLite file and its own bundled emulator.</summary>
    public ContainerApiFactory()
    {
        _databasePath = NewDatabasePath();
        _ownsDatabase = true;
    }

    /// <summary>
    /// Against an emulator the test runs itself (bundled emulator disabled) and, optionally, an existing SQLite file
    /// that outlives this instance (to restart the API on the same database).
    /// </summary>
    public ContainerApiFactory(ProxmoxEmulatorServer emulator, string? databasePath = null)
    {
        _externalEmulator = emulator;
        _databasePath = databasePath ?? NewDatabasePath();
        _ownsDatabase = databasePath is null;
    }

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"proxmoxlxc-test-{Guid.NewGuid():N}.db");

    /// <summary>Every log message the service wrote (all categories, Debug and up).</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public string ConnectionString => $"Data Source={_databasePath};Pooling=False";

    /// <summary>The application clock (the system clock plus an offset tests can advance).</summary>
    public TestTimeProvider Time { get; } = new();

    /// <summary>Extra settings (applied last). <c>Proxmox:InventoryMaxAgeSeconds</c> is 0 here unless a test sets it, so
    /// suites that change the emulator behind the API's back read Proxmox's current state.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The emulator behind this instance's gateway.</summary>
    public ProxmoxEmulatorServer Emulator => _externalEmulator ?? Services.GetRequiredService<ProxmoxEmulatorServer>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Bootstrap:AdminKey", AdminKey);
        if (_externalEmulator is null)
        {
            builder.UseSetting("Proxmox:Emulator:Enabled", "true");
            builder.UseSetting("Proxmox:Emulator:TaskDuration", "00:00:00.100");
        }
        else
        {
            builder.UseSetting("Proxmox:Emulator:Enabled", "false");
            builder.UseSetting("Proxmox:BaseUrl", _externalEmulator.BaseUrl.ToString());
            builder.UseSetting("Proxmox:TokenId", ProxmoxEmulator.EmulatorOptions.DefaultTokenId);
            builder.UseSetting("Proxmox:TokenSecret", ProxmoxEmulator.EmulatorOptions.DefaultTokenSecret);
            builder.UseSetting("Proxmox:CertificateFingerprint", _externalEmulator.CertificateFingerprint);
        }

        builder.UseSetting("Proxmox:InventoryMaxAgeSeconds", "0");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        });
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient CreateClientWithKey(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    public HttpClient CreateAdminClient() => CreateClientWithKey(AdminKey);

    /// <summary>Creates a key through the API and returns its plaintext.</summary>
    public async Task<string> CreateKeyAsync(object body)
    {
        using var admin = CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/keys", body);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>A fresh context on this instance's database, for asserting operation-log rows.</summary>
    public AppDbContext CreateDbContext() =>
        new(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, ConnectionString));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            foreach (var suffix in (string[])["", "-wal", "-shm"])
            {
                try
                {
                    File.Delete(_databasePath + suffix);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
