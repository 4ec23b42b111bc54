using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProxmoxEmulator;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class ServerTests : EmulatorTestBase
{
    [Test]
    public async Task Https_ServedCertificate_MatchesExposedFingerprint()
    {
        string? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                var hex = cert!.GetCertHashString(HashAlgorithmName.SHA256);
                seen = string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
                return seen == Server.CertificateFingerprint;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = Server.ApiUrl };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", Server.TokenHeader);
        using var response = await client.GetAsync("version");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(seen, Is.EqualTo(Server.CertificateFingerprint));
        Assert.That(Server.CertificateFingerprint, Does.Match("^([0-9A-F]{2}:){31}[0-9A-F]{2}$"));
        Assert.That(Server.BaseUrl.ToString(), Does.StartWith("https://127.0.0.1:"));
    }

    [Test]
    public void Https_WrongPinnedFingerprint_Fails()
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => false },
        };
        using var client = new HttpClient(handler) { BaseAddress = Server.ApiUrl };
        Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("version"));
    }

    [Test]
    public async Task Response_Success_HasEnvelopeAndPveHeaders()
    {
        using var response = await Client.GetAsync("version");
        Assert.That(response.Headers.Server.ToString(), Is.EqualTo("pve-api-daemon/3.0"));
        Assert.That(response.Content.Headers.ContentType!.ToString(), Does.StartWith("application/json"));
        var body = await BodyAsync(response);
        Assert.That(body!["data"]!["release"]!.GetValue<string>(), Is.EqualTo("9.1"));
    }

    [Test]
    public async Task Journal_Requests_CountedPerRouteAndResettable()
    {
        await GetDataAsync("nodes/pve1/lxc");
        await GetDataAsync("nodes/pve2/lxc");
        await GetDataAsync("nodes");
        Assert.Multiple(() =>
        {
            Assert.That(Server.Journal.TotalCount, Is.EqualTo(3));
            Assert.That(Server.Journal.Count("GET", "/nodes/{node}/lxc"), Is.EqualTo(2));
            Assert.That(Server.Journal.Count("GET", "/nodes/pve1/lxc"), Is.EqualTo(1));
            Assert.That(Server.Journal.CountsByRoute["GET /nodes"], Is.EqualTo(1));
            Assert.That(Server.Journal.Entries[0].Auth, Is.EqualTo(AuthKind.Token));
            Assert.That(Server.Journal.Entries[0].User, Is.EqualTo("root@pam!ci"));
            Assert.That(Server.Journal.Entries[0].Status, Is.EqualTo(200));
        });
        Server.Journal.Reset();
        Assert.That(Server.Journal.TotalCount, Is.Zero);
    }

    [Test]
    public async Task Journal_AnsweredRequest_IsInTheJournalOnceItsAnswerIsRead()
    {
        // The API's tests and the benchmark count Proxmox calls from the journal right after an answer: each request
        // must be journaled before its answer reaches the client, not after the body was sent.
        for (var i = 1; i <= 200; i++)
        {
            await GetDataAsync(i % 2 == 0 ? "nodes" : "version");
            Assert.That(Server.Journal.TotalCount, Is.EqualTo(i), $"request {i}");
        }

        using var denied = await Client.GetAsync("nodes/pve1/lxc/100/firewall/rules");
        Assert.That(Server.Journal.Entries[^1].Status, Is.EqualTo((int)denied.StatusCode), "the journaled status is the answer's");
    }

    [Test]
    public async Task Options_CustomSeed_IsServed()
    {
        var options = new EmulatorOptions
        {
            Nodes = [new NodeOptions { Name = "alpha", Storages = [new StorageOptions { Name = "local", Content = "vztmpl,rootdir" }] }],
            Containers = [new ContainerOptions { Vmid = 500, Node = "alpha", Hostname = "solo", RootStorage = "local" }],
            Tokens = [new TokenOptions { TokenId = "ops@pve!t1", Secret = "s3cret" }],
        };
        await using var server = await ProxmoxEmulatorServer.StartAsync(options);
        using var client = server.CreateClient();
        Assert.That(server.TokenHeader, Is.EqualTo("PVEAPIToken=ops@pve!t1=s3cret"));
        var (_, body) = await SendAsync(HttpMethod.Get, "nodes/alpha/lxc", client: client);
        Assert.That(body!["data"]!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("solo"));
    }

    [Test]
    public void Certificate_Create_HasPrivateKeyAndLoopbackSan()
    {
        using var cert = EmulatorCertificate.Create();
        Assert.That(cert.HasPrivateKey, Is.True);
        Assert.That(cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses(), Does.Contain(IPAddress.Loopback));
    }
}
