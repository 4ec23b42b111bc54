using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>A Proxmox login ticket and its CSRF token, with the time it was issued.</summary>
internal sealed record ProxmoxTicket(string Ticket, string CsrfToken, DateTimeOffset IssuedAt);

/// <summary>
/// Holds the ticket for username/password mode (singleton, shared by all handler instances): logs in on first use,
/// renews once the ticket is older than <see cref="ProxmoxOptions.TicketRenewAfter"/> (POST /access/ticket with the
/// ticket as password) and logs in again when Proxmox answers 401.
/// </summary>
internal sealed class ProxmoxTicketStore(IOptions<ProxmoxOptions> options, TimeProvider timeProvider, ILogger<ProxmoxTicketStore> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ProxmoxTicket? _current;

    public delegate Task<HttpResponseMessage> Sender(HttpRequestMessage request, CancellationToken cancellationToken);

    public async Task<ProxmoxTicket> GetAsync(Uri baseAddress, Sender send, CancellationToken cancellationToken)
    {
        var ticket = _current;
        if (ticket is not null && Age(ticket) < options.Value.TicketRenewAfter)
            return ticket;

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ticket = _current;
            if (ticket is not null && Age(ticket) < options.Value.TicketRenewAfter)
                return ticket;
            _current = ticket is not null && Age(ticket) < options.Value.TicketLifetime
                ? await RenewAsync(baseAddress, ticket, send, cancellationToken)
                : await LoginAsync(baseAddress, send, "login", cancellationToken);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Called after a 401: replaces <paramref name="rejected"/> with a fresh login (unless another caller already did).</summary>
    public async Task<ProxmoxTicket> ReplaceAsync(Uri baseAddress, ProxmoxTicket rejected, Sender send, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && !ReferenceEquals(_current, rejected))
                return _current;
            _current = await LoginAsync(baseAddress, send, "re-login after 401", cancellationToken);
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private TimeSpan Age(ProxmoxTicket ticket) => timeProvider.GetUtcNow() - ticket.IssuedAt;

    private async Task<ProxmoxTicket> RenewAsync(Uri baseAddress, ProxmoxTicket ticket, Sender send, CancellationToken cancellationToken)
    {
        var (renewed, status) = await RequestTicketAsync(baseAddress, ticket.Ticket, send, cancellationToken);
        if (renewed is not null)
        {
            ProxmoxLog.TicketObtained(logger, options.Value.Username!, "renewal");
            return renewed;
        }

        ProxmoxLog.TicketRenewalFailed(logger, status);
        return await LoginAsync(baseAddress, send, "login after failed renewal", cancellationToken);
    }

    private async Task<ProxmoxTicket> LoginAsync(Uri baseAddress, Sender send, string reason, CancellationToken cancellationToken)
    {
        var (ticket, status) = await RequestTicketAsync(baseAddress, options.Value.Password!, send, cancellationToken);
        if (ticket is null)
        {
            ProxmoxLog.LoginRejected(logger, options.Value.Username!, status);
            if (ProxmoxErrorTranslator.IsTransientStatus((HttpStatusCode)status))
                throw new ProxmoxUnavailableException($"Proxmox login failed ({status}).");
            throw new ProxmoxErrorException(
                "Proxmox rejected the service's own credentials (login failed); check the Proxmox Username/Password configuration.");
        }

        ProxmoxLog.TicketObtained(logger, options.Value.Username!, reason);
        return ticket;
    }

    private async Task<(ProxmoxTicket? Ticket, int Status)> RequestTicketAsync(
        Uri baseAddress, string secret, Sender send, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "access/ticket"))
        {
            Content = new FormUrlEncodedContent([new("username", options.Value.Username!), new("password", secret)]),
        };
        var issuedAt = timeProvider.GetUtcNow();
        using var response = await send(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return (null, (int)response.StatusCode);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return (null, (int)response.StatusCode);
        var wire = data.Deserialize<WireTicket>(ProxmoxJson.Options);
        if (string.IsNullOrEmpty(wire?.Ticket) || string.IsNullOrEmpty(wire.CsrfPreventionToken))
            return (null, (int)response.StatusCode);
        return (new ProxmoxTicket(wire.Ticket, wire.CsrfPreventionToken, issuedAt), (int)response.StatusCode);
    }
}

/// <summary>Adds Proxmox credentials to every attempt: the API token header, or the ticket cookie plus CSRF header on writes.</summary>
internal sealed class ProxmoxAuthenticationHandler(
    IOptions<ProxmoxOptions> options, ProxmoxTicketStore tickets, ILogger<ProxmoxAuthenticationHandler> logger) : DelegatingHandler
{
    private const string CsrfHeader = "CSRFPreventionToken";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        request.Headers.Remove("Authorization");
        if (settings.UsesToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"PVEAPIToken={settings.TokenId}={settings.TokenSecret}");
            return await base.SendAsync(request, cancellationToken);
        }

        var baseAddress = BaseAddressOf(request);
        var ticket = await tickets.GetAsync(baseAddress, base.SendAsync, cancellationToken);
        ApplyTicket(request, ticket);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;

        ProxmoxLog.Unauthorized(logger, request.Method.Method, request.RequestUri?.AbsolutePath ?? string.Empty);
        response.Dispose();
        ticket = await tickets.ReplaceAsync(baseAddress, ticket, base.SendAsync, cancellationToken);
        ApplyTicket(request, ticket);
        return await base.SendAsync(request, cancellationToken);
    }

    private static void ApplyTicket(HttpRequestMessage request, ProxmoxTicket ticket)
    {
        request.Headers.Remove("Cookie");
        request.Headers.Remove(CsrfHeader);
        request.Headers.TryAddWithoutValidation("Cookie", "PVEAuthCookie=" + Uri.EscapeDataString(ticket.Ticket));
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
            request.Headers.TryAddWithoutValidation(CsrfHeader, ticket.CsrfToken);
    }

    /// <summary>The <c>.../api2/json/</c> root of a request URI.</summary>
    private static Uri BaseAddressOf(HttpRequestMessage request)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("Request without URI.");
        var path = uri.AbsolutePath;
        var index = path.IndexOf(ProxmoxApiClient.ApiRoot, StringComparison.Ordinal);
        var root = index >= 0 ? path[..(index + ProxmoxApiClient.ApiRoot.Length)] : "/" + ProxmoxApiClient.ApiRoot;
        return new Uri(uri, root);
    }
}
