using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ProxmoxLxc.Client;
using ProxmoxLxc.TestDatabases;

namespace ProxmoxLxc.EndToEnd.Tests.Support;

/// <summary>
/// The real service as a child process: <c>dotnet ProxmoxLxc.WebApi.dll --urls http://127.0.0.1:{port}</c> with its own
/// database (a SQLite file, or a database of its own on the test PostgreSQL server), a known bootstrap admin key and
/// the bundled Proxmox emulator (HTTPS, token, pinned fingerprint).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    /// <summary>The bootstrap admin key (<c>pxl_</c> + 12 base62 + <c>_</c> + 43 base62).</summary>
    public const string AdminKey = "pxl_E2eAdmin0001_Zq8Wm3Kt6Yb1Nc4Vx7Rp0Ls5Hd2Gf9Ja6Ue3Io8Ty1Q";

    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Database _database;
    private readonly HttpClient _http;
    private readonly string? _certificateFile;
    private bool _started;

    private ServiceProcess(Process process, Uri baseAddress, Database database, HttpClient http, string? certificateFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        _database = database;
        _http = http;
        _certificateFile = certificateFile;
    }

    /// <summary>The values of <c>Database:Provider</c> every database-backed suite runs with (a fixture source).</summary>
    public static IEnumerable<string> Providers => [Sqlite, PostgreSql];

    public Uri BaseAddress { get; }

    /// <summary>The service's process id (to look at the process from outside, e.g. its mapped files).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the service wrote to stdout/stderr (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    /// <summary>Starts the service on a database of its own (several instances on one database: <see cref="ServiceInstances"/>).</summary>
    /// <param name="provider">The database provider.</param>
    /// <param name="httpsCertificate">When given, the service listens on <c>https://</c> with this certificate, configured
    /// the way a deployment does it (<c>Kestrel__Certificates__Default__Path</c> and <c>__Password</c>, a PKCS#12 file).</param>
    /// <param name="cancellationToken">Cancels the wait for readiness.</param>
    public static async Task<ServiceProcess> StartAsync(string provider = Sqlite, X509Certificate2? httpsCertificate = null, CancellationToken cancellationToken = default)
    {
        var service = await LaunchAsync(provider, httpsCertificate, beforeStart: null, cancellationToken);
        try
        {
            await service.WaitUntilAsync("health/ready", TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>
    /// Starts the service like <see cref="StartAsync"/> but returns as soon as the process runs, without waiting for it to
    /// answer; <paramref name="beforeStart"/> gets the connection string of its (created, still empty) database first.
    /// </summary>
    public static async Task<ServiceProcess> LaunchAsync(string provider, X509Certificate2? httpsCertificate = null,
        Func<string, Task>? beforeStart = null, CancellationToken cancellationToken = default)
    {
        var dll = Environment.GetEnvironmentVariable("PROXMOXLXC_WEBAPI_DLL") is { Length: > 0 } overridden ? overridden : Metadata("WebApiAssembly");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The service was not built at {dll}; build tests/EndToEnd.Tests (it builds the WebApi) in the same configuration.", dll);
        }

        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"{(httpsCertificate is null ? "http" : "https")}://127.0.0.1:{port}/");
        var database = Database.Create(provider);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Default"] = database.ConnectionString;
        start.Environment["Database__Provider"] = provider;
        start.Environment["Bootstrap__AdminKey"] = AdminKey;
        start.Environment["Proxmox__Emulator__Enabled"] = "true";
        start.Environment["Proxmox__Emulator__TaskDuration"] = "00:00:00.100";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        string? certificateFile = null;
        if (httpsCertificate is not null)
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            certificateFile = Path.Combine(Path.GetTempPath(), $"proxmoxlxc-e2e-{Guid.NewGuid():N}.pfx");
            await File.WriteAllBytesAsync(certificateFile, httpsCertificate.Export(X509ContentType.Pkcs12, password), cancellationToken);
            start.Environment["Kestrel__Certificates__Default__Path"] = certificateFile;
            start.Environment["Kestrel__Certificates__Default__Password"] = password;
        }

        var http = httpsCertificate is null ? new HttpClient() : new HttpClient(TrustOnly(httpsCertificate));

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, baseAddress, database, http, certificateFile);
        try
        {
            if (beforeStart is not null)
            {
                await beforeStart(database.ConnectionString);
            }

            process.OutputDataReceived += (_, e) => service.Append(e.Data);
            process.ErrorDataReceived += (_, e) => service.Append(e.Data);
            process.Start();
            service._started = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>A handler that accepts exactly <paramref name="certificate"/> as the server's certificate.</summary>
    public static SocketsHttpHandler TrustOnly(X509Certificate2 certificate)
    {
        var expected = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == expected,
            },
        };
    }

    /// <summary>A client factory for the given key (the admin key by default).</summary>
    public ProxmoxLxcClientFactory Clients(string? apiKey = null) =>
        new(new ProxmoxLxcClientOptions { BaseAddress = BaseAddress, ApiKey = apiKey ?? AdminKey, Timeout = TimeSpan.FromSeconds(60) });

    /// <summary>
    /// Polls <paramref name="path"/> until it answers 200 (<c>health/ready</c>: the service is ready; <c>health/live</c>:
    /// its web server runs); fails when the process exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitUntilAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(BaseAddress, path), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The service did not answer 200 at /{path} within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string Metadata(string key) =>
        typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_started && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _database.Delete();
        if (_certificateFile is not null)
        {
            File.Delete(_certificateFile);
        }
    }

    /// <summary>The service's own database: a temp SQLite file, or a database created on the test PostgreSQL server.</summary>
    private sealed record Database(string ConnectionString, string? SqliteFile, string? PostgresName)
    {
        public static Database Create(string provider)
        {
            switch (provider)
            {
                case Sqlite:
                    var file = Path.Combine(Path.GetTempPath(), $"proxmoxlxc-e2e-{Guid.NewGuid():N}.db");
                    return new Database($"Data Source={file};Pooling=False", file, null);
                case PostgreSql:
                    var connectionString = PostgresTestServer.CreateDatabase(out var name);
                    return new Database(connectionString, null, name);
                default:
                    throw new ArgumentOutOfRangeException(nameof(provider), provider, "Sqlite or PostgreSql.");
            }
        }

        public void Delete()
        {
            if (PostgresName is not null)
            {
                PostgresTestServer.DropDatabase(PostgresName, ConnectionString);
            }

            foreach (var suffix in SqliteFile is null ? [] : (string[])["", "-wal", "-shm"])
            {
                try
                {
                    File.Delete(SqliteFile + suffix);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
