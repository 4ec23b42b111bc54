using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>
/// The real application over in-memory HTTP, on its own SQLite file, with a known bootstrap admin key,
/// a controllable clock and captured logs. Extend through <see cref="Settings"/> (before the first
/// request) or by overriding <see cref="ConfigureTestServices"/>.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string KeyHeader = "X-API-Key";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public ApiFactory(string? databasePath = null, bool withBootstrapKey = true)
    {
        DatabasePath = databasePath ?? Path.Combine(TestPaths.Root, Guid.NewGuid().ToString("N") + ".db");
        AdminKey = withBootstrapKey ? NewKeyString() : null;
        Settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = ConnectionString,
            ["Bootstrap:AdminKey"] = AdminKey ?? string.Empty,

            // Each instance hosts its own bundled Proxmox emulator (the app validates its Proxmox settings at start).
            ["Proxmox:Emulator:Enabled"] = "true",
            ["Proxmox:Emulator:TaskDuration"] = "00:00:00.100",
        };
    }

    /// <summary>The SQLite file of this instance (kept after disposal, for reading the flushed log).</summary>
    public string DatabasePath { get; }

    public string ConnectionString => $"Data Source={DatabasePath};Pooling=False";

    /// <summary>The full plaintext bootstrap admin key (<c>Bootstrap:AdminKey</c>), or null when none is configured.</summary>
    public string? AdminKey { get; }

    public string AdminKeyId => AdminKey is null ? throw new InvalidOperationException("No bootstrap key.") : AdminKey.Split('_')[1];

    /// <summary>Configuration given with <c>UseSetting</c>: visible before <c>Build()</c>. Change before the first request.</summary>
    public IDictionary<string, string?> Settings { get; }

    public TestTimeProvider Time { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>A syntactically valid random key: <c>pxl_&lt;12 base62&gt;_&lt;43 base62&gt;</c>.</summary>
    public static string NewKeyString() =>
        $"pxl_{RandomNumberGenerator.GetString(Base62, 12)}_{RandomNumberGenerator.GetString(Base62, 43)}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<ILoggerProvider>(Logs);
            ConfigureTestServices(services);
        });
    }

    /// <summary>Hook for derived factories (e.g. a Proxmox emulator) to replace services.</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(KeyHeader, apiKey);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient CreateAdminClient() => CreateClient(AdminKey ?? throw new InvalidOperationException("No bootstrap key."));

    /// <summary>Creates a key through the API with the bootstrap admin key.</summary>
    public async Task<TestKey> CreateKeyAsync(string[] scopes, string? name = null, object? extra = null)
    {
        using var admin = CreateAdminClient();
        var body = new Dictionary<string, object?> { ["name"] = name ?? "test-" + Guid.NewGuid().ToString("N")[..8], ["scopes"] = scopes };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra, JsonSerializerOptions.Web).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        using var response = await admin.PostAsJsonAsync("/api/v1/keys", body);
        var json = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating a key failed: {(int)response.StatusCode} {json}");
        }

        using var document = JsonDocument.Parse(json);
        return new TestKey(document.RootElement.GetProperty("metadata").GetProperty("id").GetString()!,
            document.RootElement.GetProperty("key").GetString()!);
    }

    /// <summary>A context of its own on the same SQLite file.</summary>
    public AppDbContext NewDbContext() => new(DbContextOptionsFactory.Create(DatabaseProvider.Sqlite, ConnectionString));

    /// <summary>The operation log as stored now, oldest first.</summary>
    public async Task<List<OperationLog>> ReadOperationLogAsync()
    {
        await using var db = NewDbContext();
        return await db.OperationLogs.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    /// <summary>Polls the operation log until <paramref name="done"/> holds (read rows are written in batches).</summary>
    public async Task<List<OperationLog>> WaitForOperationLogAsync(Func<List<OperationLog>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = await ReadOperationLogAsync();
            if (done(rows) || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Writes pending last-use times now instead of waiting for the flusher's timer.</summary>
    public Task FlushLastUsedAsync() =>
        Services.GetServices<IHostedService>().OfType<LastUsedFlusher>().Single().FlushAsync(CancellationToken.None);
}

/// <summary>A created key: its id and its plaintext.</summary>
public sealed record TestKey(string Id, string Key);
