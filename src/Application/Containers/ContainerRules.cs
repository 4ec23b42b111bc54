using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Validation rules for container requests. Every value that ends up in a Proxmox parameter or property string is
/// checked against a strict pattern here, so nothing a caller sends can add an option (no <c>,</c>, <c>=</c>,
/// <c>;</c>, whitespace, newlines or NUL where Proxmox would read them as separators). Patterns end in <c>\z</c>:
/// <c>$</c> would also match before a trailing newline.
/// </summary>
internal static partial class ContainerRules
{
    public const int MaxDescriptionLength = 8192;

    /// <summary>Disk sizes are given in GiB but must be whole MiB (multiples of 1/1024 GiB such as 1.5 or 2.25), so
    /// Proxmox receives exactly the size asked for (new volumes in GiB, resizes in MiB); a new or resized disk is at
    /// least 1 GiB.</summary>
    public const decimal MinDiskGiB = 1m;
    public const decimal MaxDiskGiB = 131_072m;

    public static bool IsWholeMiB(decimal gib) => decimal.Truncate(gib * 1024m) == gib * 1024m;

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DottedQuad();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]{2,45}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Chars();

    [GeneratedRegex(@"^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) ([A-Za-z0-9+/]+={0,2})( [\x20-\x7E]{1,255})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SshKeyLine();

    public static bool IsMac(string? value)
    {
        if (value is null || !ProxmoxSyntax.IsMacSyntax(value))
        {
            return false;
        }

        var first = Convert.ToByte(value[..2], 16);
        return (first & 1) == 0 && value.Replace(":", "", StringComparison.Ordinal).Any(c => c != '0'); // unicast, not all-zero
    }

    public static bool TryParseIpv4(string? value, out IPAddress address)
    {
        address = IPAddress.None;
        if (value is null || !DottedQuad().IsMatch(value) || !IPAddress.TryParse(value, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    public static bool TryParseIpv6(string? value, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (value is null || !Ipv6Chars().IsMatch(value) || !value.Contains(':', StringComparison.Ordinal)
            || !IPAddress.TryParse(value, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Parses <c>address/prefix</c> of the given family.</summary>
    public static bool TryParseCidr(string? value, AddressFamily family, out IPAddress address, out int prefix)
    {
        address = IPAddress.None;
        prefix = 0;
        var slash = value?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (value is null || slash <= 0)
        {
            return false;
        }

        var prefixText = value[(slash + 1)..];
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || !int.TryParse(prefixText, out prefix) || prefix > max)
        {
            return false;
        }

        return family == AddressFamily.InterNetwork
            ? TryParseIpv4(value[..slash], out address)
            : TryParseIpv6(value[..slash], out address);
    }

    public static bool IsIpv4Setting(string? value) =>
        value is "dhcp" or "manual" || TryParseCidr(value, AddressFamily.InterNetwork, out _, out _);

    public static bool IsIpv6Setting(string? value) =>
        value is "dhcp" or "auto" or "manual" || TryParseCidr(value, AddressFamily.InterNetworkV6, out _, out _);

    /// <summary>True when <paramref name="gateway"/> lies inside the subnet of <paramref name="cidr"/>.</summary>
    public static bool InSubnet(string cidr, string gateway, AddressFamily family)
    {
        if (!TryParseCidr(cidr, family, out var network, out var prefix))
        {
            return true; // dhcp/auto/manual or an invalid CIDR (reported on its own field)
        }

        var parsedGateway = family == AddressFamily.InterNetwork ? TryParseIpv4(gateway, out var gw) : TryParseIpv6(gateway, out gw);
        if (!parsedGateway)
        {
            return true; // reported on its own field
        }

        var a = network.GetAddressBytes();
        var b = gw.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each non-empty line is an OpenSSH public key (type, base64 blob whose embedded type matches, optional comment).</summary>
    public static bool AreSshPublicKeys(string? value)
    {
        if (value is null)
        {
            return true;
        }

        var lines = value.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        return lines.Count > 0 && lines.All(IsSshKeyLine);
    }

    private static bool IsSshKeyLine(string line)
    {
        var m = SshKeyLine().Match(line);
        if (!m.Success)
        {
            return false;
        }

        try
        {
            var blob = Convert.FromBase64String(m.Groups[2].Value);
            if (blob.Length < 4)
            {
                return false;
            }

            var length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
            return length > 0 && length <= blob.Length - 4
                && System.Text.Encoding.ASCII.GetString(blob, 4, length) == m.Groups[1].Value;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A free text that may span lines: no NUL or control characters other than tab, CR and LF.</summary>
    public static bool IsMultiLineText(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'));

    /// <summary>Space-separated IP addresses (Proxmox <c>nameserver</c>).</summary>
    public static bool IsNameserverList(string? value) =>
        value is null || (value.Length <= 255 && value.Split(' ') is { Length: > 0 and <= 3 } parts
            && parts.All(p => TryParseIpv4(p, out _) || TryParseIpv6(p, out _)));

    /// <summary>Space-separated DNS domains (Proxmox <c>searchdomain</c>).</summary>
    public static bool IsSearchDomainList(string? value) =>
        value is null || (value.Length <= 255 && value.Split(' ') is { Length: > 0 and <= 6 } parts && parts.All(ProxmoxSyntax.IsHostname));

    // ---- FluentValidation helpers ----

    public static IRuleBuilderOptions<T, string?> Hostname<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ProxmoxSyntax.IsHostname).WithMessage("'{PropertyName}' must be a host name (RFC 1123 labels of letters, digits and '-', at most 253 characters).");

    public static IRuleBuilderOptions<T, string?> StorageIdentifier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ProxmoxSyntax.IsStorageId)
            .WithMessage("'{PropertyName}' must be a storage id (lowercase letters, digits, '-', '_', '.').");

    public static IRuleBuilderOptions<T, string?> NodeName<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ProxmoxSyntax.IsNodeName).WithMessage("'{PropertyName}' must be a node name.");

    public static IRuleBuilderOptions<T, string?> PoolIdentifier<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(ProxmoxSyntax.IsPoolId).WithMessage("'{PropertyName}' must be a pool id.");

    public static IRuleBuilderOptions<T, int?> VmId<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(ProxmoxSyntax.MinVmId, ProxmoxSyntax.MaxVmId);

    public static IRuleBuilderOptions<T, string?> Description<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxDescriptionLength)
            .Must(IsMultiLineText).WithMessage("'{PropertyName}' must not contain control characters other than line breaks and tabs.");

    private const string WholeMiBMessage = "'{PropertyName}' must be a whole number of MiB (a multiple of 1/1024 GiB, e.g. 1.5 or 2.25).";

    /// <summary>A disk size (new volume or resize target): 1–131072 GiB in whole MiB.</summary>
    public static IRuleBuilderOptions<T, decimal> DiskSizeGiB<T>(this IRuleBuilder<T, decimal> rule) =>
        rule.InclusiveBetween(MinDiskGiB, MaxDiskGiB).Must(IsWholeMiB).WithMessage(WholeMiBMessage);

    /// <summary><see cref="DiskSizeGiB{T}(IRuleBuilder{T, decimal})"/> for an optional size.</summary>
    public static IRuleBuilderOptions<T, decimal?> DiskSizeGiB<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.InclusiveBetween(MinDiskGiB, MaxDiskGiB).Must(v => v is null || IsWholeMiB(v.Value)).WithMessage(WholeMiBMessage);

    /// <summary>A disk size change (<c>growGiB</c>): at least 1 MiB, at most 131072 GiB, in whole MiB.</summary>
    public static IRuleBuilderOptions<T, decimal?> DiskGrowthGiB<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.GreaterThan(0).LessThanOrEqualTo(MaxDiskGiB).Must(v => v is null || IsWholeMiB(v.Value)).WithMessage(WholeMiBMessage);

    public static IRuleBuilderOptions<T, string?> Nameserver<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsNameserverList).WithMessage("'{PropertyName}' must be up to three IP addresses separated by single spaces.");

    public static IRuleBuilderOptions<T, string?> SearchDomain<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(IsSearchDomainList).WithMessage("'{PropertyName}' must be DNS domains separated by single spaces.");
}
