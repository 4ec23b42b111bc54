using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ProxmoxLxc.Infrastructure.Webhooks;

/// <summary>
/// The SSRF rules for webhook targets, one home for the check at registration and the one at connection time:
/// <c>https://</c> only and never a private, shared (CGNAT), loopback, link-local (cloud metadata included),
/// unspecified, multicast or reserved address — IPv4-mapped IPv6 judged as the IPv4 address — unless the host (by name,
/// address or CIDR range) is listed in <c>Webhooks:AllowedHosts</c>.
/// </summary>
public sealed class WebhookTargetRules
{
    private static readonly (IPNetwork Network, string Class)[] Forbidden =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "reserved"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "reserved"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("64:ff9b::/96"), "reserved"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private readonly HashSet<string> _hostNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public WebhookTargetRules(IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = (options.Value.AllowedHosts ?? string.Empty)
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var entry in entries)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
            {
                var single = Normalize(address);
                _networks.Add(new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hostNames.Add(entry.TrimEnd('.'));
            }
        }
    }

    /// <summary>True when the host is listed by name, or is an address inside a listed range.</summary>
    public bool IsListed(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']').TrimEnd('.');
        return _hostNames.Contains(bare) || (IPAddress.TryParse(bare, out var address) && IsListed(address));
    }

    public bool IsListed(IPAddress address) => _networks.Any(n => n.Contains(Normalize(address)));

    /// <summary>Why <paramref name="url"/>'s scheme is refused, or null: <c>http://</c> only to listed hosts.</summary>
    public string? SchemeRefusal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsListed(url.IdnHost))
            ? null
            : "Only https:// URLs are allowed (http:// only to hosts listed in Webhooks__AllowedHosts).";
    }

    /// <summary>Why connecting to <paramref name="address"/> for <paramref name="host"/> is refused, or null.</summary>
    public string? AddressRefusal(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsListed(host) || IsListed(address))
        {
            return null;
        }

        var normalized = Normalize(address);
        foreach (var (network, kind) in Forbidden)
        {
            if (network.BaseAddress.AddressFamily == normalized.AddressFamily && network.Contains(normalized))
            {
                return $"The host resolves to a {kind} address ({normalized}), which webhooks may not target.";
            }
        }

        return null;
    }

    /// <summary>IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>) as its IPv4 address, scope ids dropped.</summary>
    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;
}
