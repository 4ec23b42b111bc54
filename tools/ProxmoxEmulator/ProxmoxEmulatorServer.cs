using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ProxmoxEmulator;

/// <summary>
/// A running emulator: Kestrel over HTTPS (self-signed certificate generated at start) on
/// <see cref="EmulatorOptions.ListenAddress"/>:<see cref="EmulatorOptions.Port"/> (0 = free port).
/// </summary>
public sealed class ProxmoxEmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxmoxEmulatorServer(WebApplication app, EmulatorEngine engine, X509Certificate2 certificate, Uri baseUrl)
    {
        _app = app;
        Engine = engine;
        Certificate = certificate;
        BaseUrl = baseUrl;
    }

    /// <summary>Base URL, e.g. <c>https://127.0.0.1:43123</c> (API under <c>/api2/json</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary><see cref="BaseUrl"/> + <c>/api2/json/</c>.</summary>
    public Uri ApiUrl => new(BaseUrl, "/api2/json/");

    /// <summary>The served certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 fingerprint of the certificate, colon-separated uppercase hex (as Proxmox clients pin it).</summary>
    public string CertificateFingerprint => EmulatorCertificate.Fingerprint(Certificate);

    /// <summary>The emulator core.</summary>
    public EmulatorEngine Engine { get; }

    /// <summary>Cluster state.</summary>
    public ClusterState State => Engine.State;

    /// <summary>Request journal.</summary>
    public RequestJournal Journal => Engine.Journal;

    /// <summary>Fault injection.</summary>
    public EmulatorFaults Faults => Engine.Faults;

    /// <summary><c>Authorization</c> header value of the first configured API token.</summary>
    public string? TokenHeader => Engine.DefaultTokenHeader;

    /// <summary>Starts an emulator.</summary>
    public static Task<ProxmoxEmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(options, certificate: null, cancellationToken);

    /// <summary>Starts an emulator serving <paramref name="certificate"/> (a new self-signed one when null), so a host can
    /// know the fingerprint before the emulator runs.</summary>
    public static async Task<ProxmoxEmulatorServer> StartAsync(EmulatorOptions? options, X509Certificate2? certificate, CancellationToken cancellationToken = default)
    {
        var engine = new EmulatorEngine(options);
        certificate ??= EmulatorCertificate.Create();
        engine.CertificateFingerprint = EmulatorCertificate.Fingerprint(certificate);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(engine.Options.ListenAddress), engine.Options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => async connection =>
                {
                    if (engine.Faults.Down)
                    {
                        connection.Abort();
                        return;
                    }
                    await next(connection);
                });
                listen.UseHttps(certificate);
            });
        });
        builder.Services.AddSingleton(engine);
        var app = builder.Build();
        app.Run(engine.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProxmoxEmulatorServer(app, engine, certificate, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A handler that trusts exactly this server's certificate (fingerprint pinning).</summary>
    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && EmulatorCertificate.Fingerprint(new X509Certificate2(cert)) == CertificateFingerprint,
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    };

    /// <summary>An <see cref="HttpClient"/> with <see cref="ApiUrl"/> as base address, the pinning handler and,
    /// when <paramref name="withToken"/>, the default token header.</summary>
    public HttpClient CreateClient(bool withToken = true)
    {
        var client = new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = ApiUrl };
        if (withToken && TokenHeader is { } header)
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}

/// <summary>Self-signed certificate helpers.</summary>
public static class EmulatorCertificate
{
    /// <summary>Creates a self-signed ECDSA P-256 certificate for 127.0.0.1/localhost valid for one year.</summary>
    public static X509Certificate2 Create(string commonName = "pve-emulator")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        // Round-trip through PFX so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    /// <summary>SHA-256 fingerprint as <c>AA:BB:...</c>.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var hex = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }
}
