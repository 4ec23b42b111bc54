using System.Net;
using ProxmoxLxc.Client;
using ProxmoxLxc.Faults.Tests.Support;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.EndToEnd.Tests.Support;

/// <summary>
/// N instances of the built service (child processes, Production settings) on ONE PostgreSQL database and ONE
/// standalone emulator — what a load balancer spreads requests over. Instances are started one after the other (the
/// first applies the migrations and seeds the admin key); any of them can be killed (SIGKILL) and started again on
/// the same database. Extra settings for every instance through <see cref="ServiceInstancesOptions.Environment"/>.
/// </summary>
public sealed class ServiceInstances : IAsyncDisposable
{
    /// <summary>The bootstrap admin key of every instance (the first one seeds it).</summary>
    public const string AdminKey = "pxl_MultiAdmin01_Zq8Wm3Kt6Yb1Nc4Vx7Rp0Ls5Hd2Gf9Ja6Ue3Io8Ty1Q";

    private readonly ServiceInstancesOptions _options;
    private readonly string _databaseName;
    private readonly Instance[] _instances;

    private ServiceInstances(ServiceInstancesOptions options, EmulatorProcess emulator, string connectionString, string databaseName)
    {
        _options = options;
        Emulator = emulator;
        ConnectionString = connectionString;
        _databaseName = databaseName;
        _instances = [.. Enumerable.Range(0, options.Count).Select(i => new Instance(this, $"instance-{(char)('a' + i)}"))];
    }

    public EmulatorProcess Emulator { get; }

    /// <summary>The shared PostgreSQL database.</summary>
    public string ConnectionString { get; }

    public IReadOnlyList<Instance> Instances => _instances;

    public Instance this[int index] => _instances[index];

    public static async Task<ServiceInstances> StartAsync(ServiceInstancesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var emulator = await EmulatorProcess.StartAsync(options.TaskDurations);
        var connectionString = PostgresTestServer.CreateDatabase(out var name);
        var instances = new ServiceInstances(options, emulator, connectionString, name);
        try
        {
            await instances.EnsureRunningAsync();
        }
        catch
        {
            await instances.DisposeAsync();
            throw;
        }

        return instances;
    }

    /// <summary>Starts every instance that is not running (never started, or killed), one after the other.</summary>
    public async Task EnsureRunningAsync()
    {
        foreach (var instance in _instances.Where(i => !i.IsRunning))
        {
            await instance.StartAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        PostgresTestServer.DropDatabase(_databaseName, ConnectionString);
    }

    /// <summary>One service process of the set (restartable on the same port and database).</summary>
    public sealed class Instance(ServiceInstances owner, string name) : IAsyncDisposable
    {
        private readonly int _port = ChildProcess.FreeLoopbackPort();
        private ChildProcess? _process;

        /// <summary>The configured <c>Instance__Id</c> (the lease owner is this plus a per-process suffix).</summary>
        public string Name { get; } = name;

        public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

        public bool IsRunning => _process is { HasExited: false };

        /// <summary>What the current (or last) process wrote.</summary>
        public string Output => _process?.Output ?? string.Empty;

        /// <summary>Clients for this instance with <paramref name="apiKey"/> (the admin key by default).</summary>
        public ProxmoxLxcClientFactory Clients(string? apiKey = null) =>
            new(new ProxmoxLxcClientOptions { BaseAddress = BaseAddress, ApiKey = apiKey ?? AdminKey, Timeout = TimeSpan.FromSeconds(60) });

        /// <summary>SIGKILL: the instance dies at once, leaving its leases to run out.</summary>
        public Task KillAsync() => _process?.KillAsync() ?? Task.CompletedTask;

        internal async Task StartAsync()
        {
            var emulator = owner.Emulator;
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Database__Provider"] = "PostgreSql",
                ["ConnectionStrings__Default"] = owner.ConnectionString,
                ["Bootstrap__AdminKey"] = AdminKey,
                ["Instance__Id"] = Name,
                ["Proxmox__BaseUrl"] = emulator.BaseAddress.ToString().TrimEnd('/'),
                ["Proxmox__TokenId"] = emulator.TokenId,
                ["Proxmox__TokenSecret"] = emulator.TokenSecret,
                ["Proxmox__CertificateFingerprint"] = emulator.Fingerprint,
                ["Proxmox__Emulator__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
                // Who claimed and who completed each operation (the completion counter of the tests).
                ["Logging__LogLevel__ProxmoxLxc.Infrastructure.Operations"] = "Information",
            };
            foreach (var (key, value) in owner._options.Environment)
            {
                environment[key] = value;
            }

            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            _process = ChildProcess.Start(ChildProcess.Metadata("WebApiAssembly"), ["--urls", BaseAddress.ToString().TrimEnd('/')], environment);
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Poll.UntilAsync(async () =>
            {
                if (_process.HasExited)
                {
                    throw new AssertionException($"{Name} exited with {_process.ExitCode}:\n{_process.Output}");
                }

                try
                {
                    using var response = await probe.GetAsync(new Uri(BaseAddress, "health/ready"));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(120), $"{Name} to report /health/ready", () => Output);
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }
        }
    }
}

/// <summary>How a <see cref="ServiceInstances"/> set is started.</summary>
public sealed class ServiceInstancesOptions
{
    /// <summary>How many instances (default 3).</summary>
    public int Count { get; init; } = 3;

    /// <summary>Emulator task durations per type (e.g. <c>vzcreate</c> → 10 s); unlisted types take 0.3 s.</summary>
    public IReadOnlyDictionary<string, TimeSpan> TaskDurations { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Settings added to (or overriding) every instance's environment, e.g. <c>RateLimiting__Redis</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
