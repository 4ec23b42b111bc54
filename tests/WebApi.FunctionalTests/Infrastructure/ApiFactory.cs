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
using ProxmoxEmulator;
using ProxmoxLxc.Domain.Operations;
using ProxmoxLxc.Infrastructure.Persistence;
using ProxmoxLxc.Infrastructure.Security;

namespace ProxmoxLxc.WebApi.FunctionalTests.Infrastructure;

/// <summary>How an <see cref="ApiFactory"/> instance is set up.</summary>
public sealed class ApiFactoryOptions
{
    /// <summary>
    /// An emulator the test runs itself (it outlives the instance, e.g. across a restart of the API); null: the
    /// instance hosts its own bundled emulator (HTTPS on loopback, token auth, pinned fingerprint).
    /// </summary>
    public ProxmoxEmulatorServer? Emulator { get; init; }

    /// <summary>The database (provider and connection string); null: a fresh one from <see cref="TestDatabase.CreateDefault"/>.</summary>
    public TestDatabase? Database { get; init; }

    /// <summary>Seed a random admin key through <c>Bootstrap:AdminKey</c> (false: the app generates and prints one).</summary>
    public bool WithAdminKey { get; init; } = true;

    /// <summary>The admin key to seed (e.g. the one of an earlier instance on the same database); null: a random one.</summary>
    public string? AdminKey { get; init; }

    /// <summary>The webhook encryption key (base64 of 32 bytes; the same for instances on one database); null: a random one.</summary>
    public string? WebhookEncryptionKey { get; init; }

    /// <summary>The hosting environment the app starts in.</summary>
    public string Environment { get; init; } = "Testing";
}

/// <summary>
/// The real application over in-memory HTTP: its own database, its own (or a given) Proxmox emulator, a known
/// bootstrap admin key, a controllable clock and captured logs. Extend through <see cref="Settings"/> (before the
/// first request).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string KeyHeader = "X-API-Key";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly ProxmoxEmulatorServer? _externalEmulator;
    private readonly string _environment;
    private readonly List<Action<IServiceCollection>> _testServices = [];

    public ApiFactory(ApiFactoryOptions? options = null)
    {
        options ??= new ApiFactoryOptions();
        _externalEmulator = options.Emulator;
        _environment = options.Environment;
        Database = options.Database ?? TestDatabase.CreateDefault();
        AdminKey = options.WithAdminKey ? options.AdminKey ?? NewKeyString() : null;
        Settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Database:Provider"] = Database.Provider.ToString(),
            ["ConnectionStrings:Default"] = Database.ConnectionString,
            ["Bootstrap:AdminKey"] = AdminKey ?? string.Empty,
            // Webhook receivers of tests listen on loopback; the dispatcher polls often so deliveries follow the clock quickly.
            ["Webhooks:EncryptionKey"] = options.WebhookEncryptionKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Webhooks:AllowedHosts"] = "127.0.0.1",
            ["Webhooks:PollInterval"] = "00:00:00.100",

            // Suites change the emulator behind the API's back and expect the next read to see it: the inventory view
            // asks Proxmox on every read here unless a test sets a maximum age (Performance/InventoryTests uses 5 s).
            ["Proxmox:InventoryMaxAgeSeconds"] = "0",

            // No background inventory refreshes (they would add Proxmox calls to journals tests count); the tests of
            // the poller turn it on (Events/ContainerStateEventTests).
            ["Events:InventoryPollSeconds"] = "0",
        };
        if (_externalEmulator is null)
        {
            // The app validates its Proxmox settings at start: each instance hosts its own bundled emulator.
            Settings["Proxmox:Emulator:Enabled"] = "true";
            Settings["Proxmox:Emulator:TaskDuration"] = "00:00:00.100";
        }
        else
        {
            Settings["Proxmox:Emulator:Enabled"] = "false";
            Settings["Proxmox:BaseUrl"] = _externalEmulator.BaseUrl.ToString();
            Settings["Proxmox:TokenId"] = EmulatorOptions.DefaultTokenId;
            Settings["Proxmox:TokenSecret"] = EmulatorOptions.DefaultTokenSecret;
            Settings["Proxmox:CertificateFingerprint"] = _externalEmulator.CertificateFingerprint;
        }
    }

    /// <summary>The database of this instance (kept after disposal, for reading the flushed log).</summary>
    public TestDatabase Database { get; }

    /// <summary>The full plaintext bootstrap admin key (<c>Bootstrap:AdminKey</c>), or null when none is configured.</summary>
    public string? AdminKey { get; }

    public string AdminKeyId => AdminKey is null ? throw new InvalidOperationException("No bootstrap key.") : AdminKey.Split('_')[1];

    /// <summary>Configuration given with <c>UseSetting</c>: visible before <c>Build()</c>. Change before the first request.</summary>
    public IDictionary<string, string?> Settings { get; }

    /// <summary>The clock of the service: the system clock plus an offset a test can advance.</summary>
    public TestTimeProvider Time { get; } = new();

    /// <summary>Every log message the service wrote (all categories, Debug and up).</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The emulator behind this instance's gateway.</summary>
    public ProxmoxEmulatorServer Emulator => _externalEmulator ?? Services.GetRequiredService<ProxmoxEmulatorServer>();

    /// <summary>A syntactically valid random key: <c>pxl_&lt;12 base62&gt;_&lt;43 base62&gt;</c>.</summary>
    public static string NewKeyString() =>
        $"pxl_{RandomNumberGenerator.GetString(Base62, 12)}_{RandomNumberGenerator.GetString(Base62, 43)}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            foreach (var configure in _testServices)
            {
                configure(services);
            }
        });
    }

    /// <summary>Replaces or adds services after the app's own registrations (before the first request).</summary>
    public ApiFactory WithTestServices(Action<IServiceCollection> configure)
    {
        _testServices.Add(configure);
        return this;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> (none when null) and accepts JSON.</summary>
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

    /// <summary>Creates a key through the API with the bootstrap admin key; <paramref name="extra"/> adds body fields (restrictions…).</summary>
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

    /// <summary>A context of its own on this instance's database.</summary>
    public AppDbContext NewDbContext() => Database.NewContext();

    /// <summary>The operation log as stored now, oldest first.</summary>
    public async Task<List<OperationLog>> ReadOperationLogAsync()
    {
        await using var db = NewDbContext();
        return await db.OperationLogs.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }

    /// <summary>One stored operation-log row by id.</summary>
    public async Task<OperationLog> OperationRowAsync(long id)
    {
        await using var db = NewDbContext();
        return await db.OperationLogs.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    /// <summary>
    /// The one operation-log poller: reads the log until <paramref name="done"/> holds (read rows are written in
    /// batches, task outcomes by a background worker) and returns it as it then is.
    /// </summary>
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

    /// <summary>Waits for the finished row of the call that produced <paramref name="response"/> (by its <c>X-Request-Id</c>).</summary>
    public async Task<OperationLog> WaitForOperationRowAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var rows = await WaitForOperationLogAsync(all => all.Any(o => o.RequestId == requestId && o.HttpStatus is not null));
        var row = rows.SingleOrDefault(o => o.RequestId == requestId && o.HttpStatus is not null);
        Assert.That(row, Is.Not.Null, $"No operation-log row for request {requestId}.");
        return row!;
    }

    /// <summary>Writes pending last-use times now instead of waiting for the flusher's timer.</summary>
    public Task FlushLastUsedAsync() =>
        Services.GetServices<IHostedService>().OfType<LastUsedFlusher>().Single().FlushAsync(CancellationToken.None);
}

/// <summary>A created key: its id and its plaintext.</summary>
public sealed record TestKey(string Id, string Key);
