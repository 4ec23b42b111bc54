using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>
/// The one home of Proxmox's value syntax (ids, names, keys and their limits). The FluentValidation validators check
/// caller input with these rules; the gateway's property-string and path builders guard with the same rules, so a
/// value the validators accept is never refused further in. Every pattern is anchored with <c>\z</c>: <c>$</c> would
/// accept a trailing newline.
/// </summary>
public static partial class ProxmoxSyntax
{
    public const int MinVmId = 100;
    public const int MaxVmId = 999_999_999;

    /// <summary>Interfaces <c>net0</c> … <c>net31</c>.</summary>
    public const int MaxNetworks = 32;

    /// <summary>Mount points <c>mp0</c> … <c>mp255</c>.</summary>
    public const int MaxMountPoints = 256;

    public const int MaxStorageIdLength = 64;

    public static bool IsVmId(int vmid) => vmid is >= MinVmId and <= MaxVmId;

    /// <summary>Proxmox node names (a hostname label).</summary>
    public static bool IsNodeName(string? value) => value is not null && HostnameLabel().IsMatch(value);

    /// <summary>pve-poolid.</summary>
    public static bool IsPoolId(string? value) => value is not null && PoolId().IsMatch(value);

    /// <summary>pve-storage-id (lowercase letters, digits, <c>-</c>, <c>_</c>, <c>.</c>; at most 64 characters).</summary>
    public static bool IsStorageId(string? value) => value is { Length: <= MaxStorageIdLength } && StorageId().IsMatch(value);

    /// <summary><c>&lt;storage&gt;:vztmpl/&lt;file&gt;</c> with a plain file name.</summary>
    public static bool IsTemplateVolId(string? value) => value is not null && TemplateVolId().IsMatch(value);

    /// <summary>Linux interface names: bridges like <c>vmbr0</c>, <c>vmbr0.20</c>, container interfaces like <c>eth0</c>.</summary>
    public static bool IsInterfaceName(string? value) => value is not null && InterfaceName().IsMatch(value);

    /// <summary>A MAC address <c>BC:24:11:00:00:01</c> (any kind; see the validators for unicast).</summary>
    public static bool IsMacSyntax(string? value) => value is not null && Mac().IsMatch(value);

    /// <summary>pve-tag: letters, digits, <c>_ - + .</c>, not starting with <c>-+.</c>, at most 64 characters.</summary>
    public static bool IsTag(string? value) => value is not null && Tag().IsMatch(value);

    /// <summary>A letter, then 1–39 letters, digits, <c>-</c> or <c>_</c>; not the reserved <c>current</c> or <c>vzdump</c>.</summary>
    public static bool IsSnapshotName(string? value) =>
        value is not null && SnapshotName().IsMatch(value)
        && !value.Equals("current", StringComparison.OrdinalIgnoreCase) && !value.Equals("vzdump", StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 1123 host name: labels of letters, digits and <c>-</c>, at most 253 characters.</summary>
    public static bool IsHostname(string? value) =>
        value is { Length: > 0 and <= 253 } && value.Split('.').All(label => HostnameLabel().IsMatch(label));

    /// <summary>Absolute path inside the container: no commas, whitespace, <c>.</c> or <c>..</c> segments.</summary>
    public static bool IsMountPath(string? value) =>
        value is not null && MountPath().IsMatch(value) && !value.Split('/').Any(s => s is ".." or ".");

    /// <summary>A file system type in <c>features: mount=</c> (<c>nfs</c>, <c>cifs</c>).</summary>
    public static bool IsFsType(string? value) => value is not null && FsType().IsMatch(value);

    /// <summary>A resizable disk: <c>rootfs</c> or <c>mp0</c> … <c>mp255</c>.</summary>
    public static bool IsDiskName(string? value) => value is not null && DiskName().IsMatch(value);

    /// <summary>A container configuration key (<c>cores</c>, <c>net0</c>, <c>ssh-public-keys</c>).</summary>
    public static bool IsConfigKey(string? value) => value is not null && ConfigKey().IsMatch(value);

    /// <summary>The configuration digest (hexadecimal SHA-1 or SHA-256).</summary>
    public static bool IsDigest(string? value) => value is not null && Digest().IsMatch(value);

    /// <summary>A node name or storage id that is safe as one segment of an API path.</summary>
    public static bool IsPathSegment(string? value) => value is not null && PathSegment().IsMatch(value);

    /// <summary>Splits an indexed key <c>net3</c> / <c>mp12</c> into its kind (<c>net</c> or <c>mp</c>) and index.</summary>
    public static bool TryParseIndexedKey(string key, out string kind, out int index)
    {
        ArgumentNullException.ThrowIfNull(key);
        var m = IndexedKey().Match(key);
        kind = m.Success ? m.Groups[1].Value : string.Empty;
        index = 0;
        return m.Success && int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    [GeneratedRegex("^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostnameLabel();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PoolId();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex StorageId();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]:vztmpl/[A-Za-z0-9][A-Za-z0-9._+-]{0,250}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateVolId();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{0,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfaceName();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Mac();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-+.]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_-]{1,39}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotName();

    [GeneratedRegex(@"^/[A-Za-z0-9._\-/]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MountPath();

    [GeneratedRegex("^[a-zA-Z0-9_]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FsType();

    [GeneratedRegex(@"^(rootfs|mp([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))\z", RegexOptions.CultureInvariant)]
    private static partial Regex DiskName();

    [GeneratedRegex(@"^[a-z][a-z0-9_-]*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConfigKey();

    [GeneratedRegex("^[0-9a-fA-F]{40,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Digest();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-_.]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"^(net|mp)(\d{1,9})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IndexedKey();
}
