using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ProxmoxEmulator;
using ProxmoxLxc.Infrastructure.Persistence;

namespace ProxmoxLxc.WebApi.FunctionalTests.Support;

/// <summary>
/// The service over real HTTP (in-memory test server) with its own SQLite file and its own bundled
/// Proxmox emulator (HTTPS on loopback, token auth, pinned fingerprint — the production wiring).
/// </summary>
public class ContainerApiFactory : WebApplicationFactory<Program>
{
    /// <summary>The admin key seeded through <c>Bootstrap:AdminKey</c>.</summary>
    public const string AdminKey = "pxl_TestAdmin001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"proxmoxlxc-test-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={_databasePath};Pooling=False";

    /// <summary>Extra settings (applied last).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The emulator behind this instance's gateway.</summary>
    public ProxmoxEmulatorServer Emulator => Services.GetRequiredService<ProxmoxEmulatorServer>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Bootstrap:AdminKey", AdminKey);
        builder.UseSetting("Proxmox:Emulator:Enabled", "true");
        builder.UseSetting("Proxmox:Emulator:TaskDuration", "00:00:00.100");
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
        if (disposing)
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
