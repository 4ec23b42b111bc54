using System.Net;
using System.Net.Sockets;
using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>Checks a webhook URL at registration: its scheme and every address its host resolves to now.</summary>
internal sealed class WebhookUrlPolicy(WebhookTargetRules rules) : IWebhookUrlPolicy
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (rules.SchemeRefusal(url) is { } schemeRefusal)
        {
            return schemeRefusal;
        }

        var host = url.IdnHost;
        if (rules.IsListed(host))
        {
            return null;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return "The URL's host does not resolve.";
            }
        }

        if (addresses.Length == 0)
        {
            return "The URL's host does not resolve.";
        }

        return addresses.Select(a => rules.AddressRefusal(host, a)).FirstOrDefault(r => r is not null);
    }
}
