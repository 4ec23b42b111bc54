using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using ProxmoxEmulator;

namespace ProxmoxLxc.Fuzz.Tests;

/// <summary>
/// The service in-process (WebApplicationFactory, Testing environment, its own SQLite file) against an emulator this
/// fixture starts with the fuzz cluster (<see cref="FuzzWorld"/>), with the same Proxmox wiring as production: token
/// auth over HTTPS with the certificate pinned. The rate limit is lifted: every case is one request.
/// </summary>
internal sealed class FuzzHost(ProxmoxEmulatorServer emulator) : WebApplicationFactory<Program>
{
    /// <summary>The bootstrap admin key (<c>pxl_&lt;12&gt;_&lt;43&gt;</c>).</summary>
    public const string AdminKey = "pxl_FuzzAdmin001_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    // In memory-backed /dev/shm where there is one: the operation log is written durably on every call.
    private readonly string _databasePath = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"proxmoxlxc-fuzz-{Guid.NewGuid():N}.db");

    public ProxmoxEmulatorServer Emulator { get; } = emulator;

    /// <summary>The plaintext key of each actor of <see cref="FuzzWorld.KeyActors"/>, by actor name.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public async Task CreateActorKeysAsync()
    {
        foreach (var actor in FuzzWorld.KeyActors)
        {
            Keys[actor.Name] = (await CreateKeyAsync(actor)).Key;
        }
    }

    /// <summary>Creates a key with the admin key; returns its id and plaintext.</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(Actor actor)
    {
        using var admin = CreateClient();
        admin.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
        var restriction = actor.Restriction;
        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new
        {
            name = actor.Name,
            scopes = actor.Scopes,
            allowedNodes = restriction.Nodes,
            allowedPools = restriction.Pools,
            vmidRange = restriction.Range is { } r ? new { min = r.Min, max = r.Max } : null,
        });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating the key {actor} failed: {(int)response.StatusCode} {text}");
        }

        using var created = JsonDocument.Parse(text);
        return (created.RootElement.GetProperty("metadata").GetProperty("id").GetString()!, created.RootElement.GetProperty("key").GetString()!);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Default", $"Data Source={_databasePath};Pooling=False");
        builder.UseSetting("Bootstrap:AdminKey", AdminKey);
        builder.UseSetting("Proxmox:Emulator:Enabled", "false");
        builder.UseSetting("Proxmox:BaseUrl", Emulator.BaseUrl.ToString());
        builder.UseSetting("Proxmox:TokenId", EmulatorOptions.DefaultTokenId);
        builder.UseSetting("Proxmox:TokenSecret", EmulatorOptions.DefaultTokenSecret);
        builder.UseSetting("Proxmox:CertificateFingerprint", Emulator.CertificateFingerprint);
        builder.UseSetting("RateLimiting:PermitsPerMinute", "10000000");
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

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
                    // Still open by a host that did not stop; it is in the temp folder.
                }
            }
        }
    }
}
