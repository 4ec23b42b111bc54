using System.Net;
using System.Text.Json.Nodes;
using ProxmoxEmulator;

namespace ProxmoxLxc.ProxmoxEmulator.Tests;

public class AuthTests : EmulatorTestBase
{
    private HttpClient Anonymous() => new(Server.CreateHandler()) { BaseAddress = Server.ApiUrl };

    private async Task<(string Ticket, string Csrf)> LoginAsync(HttpClient client, string password = EmulatorOptions.DefaultPassword)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "access/ticket", Form(("username", "root@pam"), ("password", password)), client);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), response.ReasonPhrase);
        return (body!["data"]!["ticket"]!.GetValue<string>(), body["data"]!["CSRFPreventionToken"]!.GetValue<string>());
    }

    private static HttpRequestMessage WithTicket(HttpMethod method, string path, string ticket, string? csrf = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", "PVEAuthCookie=" + Uri.EscapeDataString(ticket));
        if (csrf is not null)
            request.Headers.Add("CSRFPreventionToken", csrf);
        return request;
    }

    [Test]
    public async Task Token_Valid_Returns200()
    {
        var data = await GetDataAsync("nodes");
        Assert.That(data!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Token_BadSecret_Returns401WithEmptyBody()
    {
        using var client = Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "PVEAPIToken=root@pam!ci=wrong");
        var (response, body) = await SendAsync(HttpMethod.Get, "nodes", client: client);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(response.ReasonPhrase, Is.EqualTo("Authentication failed!"));
            Assert.That(body, Is.Null);
        });
    }

    [Test]
    public async Task NoCredentials_AnyCall_Returns401NoTicket()
    {
        using var client = Anonymous();
        var (response, _) = await SendAsync(HttpMethod.Get, "nodes", client: client);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ReasonPhrase, Is.EqualTo("No ticket"));
    }

    [Test]
    public async Task Login_ValidPassword_TicketWorksForGet()
    {
        using var client = Anonymous();
        var (ticket, csrf) = await LoginAsync(client);
        Assert.That(ticket, Does.Match("^PVE:root@pam:[0-9A-F]{8}::"));
        Assert.That(csrf, Does.Match("^[0-9A-F]{8}:"));
        using var response = await client.SendAsync(WithTicket(HttpMethod.Get, "nodes", ticket));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Login_AuthorizationHeaderCookie_IsAccepted()
    {
        using var client = Anonymous();
        var (ticket, _) = await LoginAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, "version");
        request.Headers.TryAddWithoutValidation("Authorization", "PVEAuthCookie=" + ticket);
        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Login_WrongPassword_Returns401AuthenticationFailure()
    {
        using var client = Anonymous();
        var (response, body) = await SendAsync(HttpMethod.Post, "access/ticket", Form(("username", "root@pam"), ("password", "nope!")), client);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ReasonPhrase, Is.EqualTo("authentication failure"));
        Assert.That(body!["message"]!.GetValue<string>(), Is.EqualTo("authentication failure\n"));
    }

    [Test]
    public async Task Login_WithApiToken_Returns403NotAvailableWithToken()
    {
        var (response, _) = await SendAsync(HttpMethod.Post, "access/ticket", Form(("username", "root@pam"), ("password", "x")));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.ReasonPhrase, Does.Contain("not available with API token, need proper ticket."));
    }

    [Test]
    public async Task Ticket_PostWithoutCsrf_Returns401InvalidCsrf()
    {
        using var client = Anonymous();
        var (ticket, _) = await LoginAsync(client);
        using var response = await client.SendAsync(WithTicket(HttpMethod.Post, "nodes/pve2/lxc/101/status/start", ticket));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Permission denied - invalid csrf token"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
    }

    [Test]
    public async Task Ticket_PostWithCsrf_StartsTaskAsUser()
    {
        using var client = Anonymous();
        var (ticket, csrf) = await LoginAsync(client);
        using var response = await client.SendAsync(WithTicket(HttpMethod.Post, "nodes/pve2/lxc/101/status/start", ticket, csrf));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var upid = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.GetValue<string>();
        Assert.That(upid, Does.EndWith(":vzstart:101:root@pam:"));
    }

    [Test]
    public async Task Ticket_OlderThanLifetime_Returns401()
    {
        using var client = Anonymous();
        var (ticket, _) = await LoginAsync(client);
        Clock.Offset = TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1);
        using var response = await client.SendAsync(WithTicket(HttpMethod.Get, "nodes", ticket));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.ReasonPhrase, Is.EqualTo("Authentication failed!"));
    }

    [Test]
    public async Task Login_WithCurrentTicketAsPassword_ReturnsFreshTicket()
    {
        using var client = Anonymous();
        var (ticket, _) = await LoginAsync(client);
        Clock.Offset = TimeSpan.FromMinutes(70);
        var (renewed, csrf) = await LoginAsync(client, ticket);
        Assert.That(renewed, Is.Not.EqualTo(ticket));
        Clock.Offset = TimeSpan.FromMinutes(70) + TimeSpan.FromHours(1.5);
        using var oldResponse = await client.SendAsync(WithTicket(HttpMethod.Get, "nodes", ticket));
        using var newResponse = await client.SendAsync(WithTicket(HttpMethod.Get, "nodes", renewed, csrf));
        Assert.That(oldResponse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(newResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
