using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxmoxLxc.EndToEnd.Tests.Support;

namespace ProxmoxLxc.EndToEnd.Tests;

/// <summary>
/// A deployment without a TLS-terminating proxy serves HTTPS from configuration alone: an <c>https://</c> URL and the
/// default certificate in <c>Kestrel:Certificates:Default</c>. The service's host builder must keep Kestrel's HTTPS
/// configuration loader for that (the slim builder leaves it out unless it is added back).
/// </summary>
public sealed class HttpsEndpointTests
{
    [Test]
    public async Task HttpsUrlAndConfiguredCertificate_ServeTheApiOverTlsWithThatCertificate()
    {
        using var certificate = SelfSignedLoopbackCertificate();
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.Sqlite, certificate);
        using var http = new HttpClient(ServiceProcess.TrustOnly(certificate)) { BaseAddress = service.BaseAddress };
        http.DefaultRequestHeaders.Add("X-API-Key", ServiceProcess.AdminKey);

        using var response = await http.GetAsync(new Uri("api/v1/containers/102/status", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(service.BaseAddress.Scheme, Is.EqualTo(Uri.UriSchemeHttps));
            // TrustOnly accepts no other certificate: an answer at all proves the configured one was presented.
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), service.Output);
        });
    }

    private static X509Certificate2 SelfSignedLoopbackCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=proxmoxlxc-e2e", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }
}
