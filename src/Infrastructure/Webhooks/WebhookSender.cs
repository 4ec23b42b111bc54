using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>The outcome of one attempt: success is a 2xx within the timeout; <see cref="Error"/> never holds a secret.</summary>
internal sealed record WebhookAttempt(bool Succeeded, int? ResponseStatus, string? Error);

/// <summary>
/// Sends one signed message (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))</c>). Redirects are not followed
/// (a 3xx is a failure), no proxy is used, and the connection is opened only to an address the
/// <see cref="WebhookTargetRules"/> allow — checked on the address actually connected, so a DNS answer that changed
/// since registration (rebinding) cannot reach an internal address.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookTargetRules _rules;
    private readonly TimeSpan _timeout;

    public WebhookSender(WebhookTargetRules rules, IOptions<WebhookOptions> options)
    {
        _rules = rules;
        _timeout = options.Value.Timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(rules, context.DnsEndPoint, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("ProxmoxLxc-Webhooks", "1.0"));
    }

    public static string Sign(byte[] secret, string messageId, long timestamp, string body)
    {
        var signed = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(signed);
    }

    public async Task<WebhookAttempt> SendAsync(Uri url, string messageId, DateTimeOffset now, string body, byte[] secret, CancellationToken cancellationToken)
    {
        if (_rules.SchemeRefusal(url) is { } schemeRefusal)
        {
            return new WebhookAttempt(false, null, schemeRefusal);
        }

        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(secret, messageId, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? new WebhookAttempt(true, status, null)
                : new WebhookAttempt(false, status, status is >= 300 and < 400
                    ? $"The endpoint answered {status} (redirects are not followed)."
                    : $"The endpoint answered {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(false, null, $"No answer within {_timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttempt(false, null, Describe(ex));
        }
    }

    public void Dispose() => _client.Dispose();

    private static string Describe(HttpRequestException ex) =>
        FindRefusal(ex) is { } refused ? refused.Message
        : ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "The host does not resolve.",
            HttpRequestError.ConnectionError => "The connection failed.",
            HttpRequestError.SecureConnectionError => "The TLS handshake failed.",
            HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "The endpoint's answer was not valid HTTP.",
            _ => "The request failed (" + ex.HttpRequestError + ").",
        };

    private static WebhookTargetRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is WebhookTargetRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static async ValueTask<Stream> ConnectAsync(WebhookTargetRules rules, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        Exception? failure = null;
        foreach (var address in addresses)
        {
            if (rules.AddressRefusal(host, address) is { } refused)
            {
                refusal ??= refused;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                if (socket.RemoteEndPoint is IPEndPoint connected && rules.AddressRefusal(host, connected.Address) is { } late)
                {
                    socket.Dispose();
                    throw new WebhookTargetRefusedException(late);
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failure = ex;
            }
        }

        throw refusal is not null ? new WebhookTargetRefusedException(refusal) : failure ?? new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>The connection was not opened: the address is one webhooks may not target.</summary>
internal sealed class WebhookTargetRefusedException(string message) : IOException(message);
