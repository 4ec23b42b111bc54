using System.Globalization;
using System.Text.RegularExpressions;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Typed builders and parsers for the LXC property strings <c>net[n]</c>, <c>rootfs</c>, <c>mp[n]</c> and <c>features</c>.</summary>
internal static partial class LxcPropertyStrings
{
    private const decimal BytesPerGiB = 1024m * 1024m * 1024m;

    // ---- net[n] ----

    public static string BuildNetwork(ContainerNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var field = $"net{network.Index}";
        if (network.Index is < 0 or > 31)
            throw new RequestValidationException(field, "Network index must be between 0 and 31.");
        EnsureMatches(field, "name", network.Name, InterfaceNameRegex());
        if (network.Bridge is not null)
            EnsureMatches(field, "bridge", network.Bridge, InterfaceNameRegex());
        if (network.MacAddress is not null)
            EnsureMatches(field, "hwaddr", network.MacAddress, MacRegex());
        if (network.Vlan is < 1 or > 4094)
            throw new RequestValidationException(field, "VLAN tag must be between 1 and 4094.");
        if (network.Mtu is < 64 or > 65535)
            throw new RequestValidationException(field, "MTU must be between 64 and 65535.");
        if (network.RateMbps is < 0)
            throw new RequestValidationException(field, "Rate must not be negative.");

        return PropertyString.Build(field, null,
        [
            new("name", network.Name),
            new("bridge", network.Bridge),
            new("firewall", PropertyString.Bool(network.Firewall)),
            new("gw", network.Gateway4),
            new("gw6", network.Gateway6),
            new("hwaddr", network.MacAddress),
            new("ip", network.Ipv4),
            new("ip6", network.Ipv6),
            new("link_down", PropertyString.Bool(network.LinkDown)),
            new("mtu", network.Mtu?.ToString(CultureInfo.InvariantCulture)),
            new("rate", network.RateMbps is { } rate ? PropertyString.Number(rate) : null),
            new("tag", network.Vlan?.ToString(CultureInfo.InvariantCulture)),
            new("type", network.Type),
        ]);
    }

    public static ContainerNetwork ParseNetwork(int index, string value)
    {
        var p = PropertyString.Parse(value);
        return new ContainerNetwork
        {
            Index = index,
            Name = p.GetValueOrDefault("name") ?? $"eth{index}",
            Bridge = p.GetValueOrDefault("bridge"),
            Ipv4 = p.GetValueOrDefault("ip"),
            Gateway4 = p.GetValueOrDefault("gw"),
            Ipv6 = p.GetValueOrDefault("ip6"),
            Gateway6 = p.GetValueOrDefault("gw6"),
            Vlan = ParseInt(p.GetValueOrDefault("tag")),
            Firewall = PropertyString.ParseOptionalBool(p.GetValueOrDefault("firewall")),
            RateMbps = ParseDouble(p.GetValueOrDefault("rate")),
            MacAddress = p.GetValueOrDefault("hwaddr"),
            Mtu = ParseInt(p.GetValueOrDefault("mtu")),
            LinkDown = PropertyString.ParseOptionalBool(p.GetValueOrDefault("link_down")),
            Type = p.GetValueOrDefault("type"),
        };
    }

    // ---- rootfs / mp[n] ----

    /// <summary><c>STORAGE:SIZE_IN_GiB</c> (allocates a new volume).</summary>
    public static string BuildRootFs(RootFsSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return PropertyString.Build("rootfs", NewVolume("rootfs", spec.Storage, spec.SizeGiB), []);
    }

    public static string BuildMountPoint(MountPointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var field = $"mp{spec.Index}";
        if (spec.Index is < 0 or > 255)
            throw new RequestValidationException(field, "Mount point index must be between 0 and 255.");
        if (!spec.Path.StartsWith('/'))
            throw new RequestValidationException(field, "Mount path must be absolute.");
        if (spec.Path.Split('/').Any(segment => segment is ".."))
            throw new RequestValidationException(field, "Mount path must not contain '..'.");
        return PropertyString.Build(field, NewVolume(field, spec.Storage, spec.SizeGiB),
        [
            new("mp", spec.Path),
            new("backup", PropertyString.Bool(spec.Backup)),
            new("ro", PropertyString.Bool(spec.ReadOnly)),
        ]);
    }

    public static ContainerRootFs ParseRootFs(string value)
    {
        var p = PropertyString.Parse(value, "volume");
        var volume = p.GetValueOrDefault("volume") ?? string.Empty;
        return new ContainerRootFs(volume, StorageOf(volume), SizeGiB(p.GetValueOrDefault("size")));
    }

    public static ContainerMountPoint ParseMountPoint(int index, string value)
    {
        var p = PropertyString.Parse(value, "volume");
        var volume = p.GetValueOrDefault("volume") ?? string.Empty;
        return new ContainerMountPoint(index, volume, StorageOf(volume), p.GetValueOrDefault("mp") ?? string.Empty,
            SizeGiB(p.GetValueOrDefault("size")),
            PropertyString.ParseOptionalBool(p.GetValueOrDefault("backup")),
            PropertyString.ParseOptionalBool(p.GetValueOrDefault("ro")));
    }

    // ---- features ----

    /// <summary>Only flags that are set are written; returns null when nothing is set.</summary>
    public static string? BuildFeatures(ContainerFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        foreach (var type in features.MountTypes)
            EnsureMatches("features", "mount", type, FsTypeRegex());
        var value = PropertyString.Build("features", null,
        [
            new("force_rw_sys", features.ForceRwSys ? "1" : null),
            new("fuse", features.Fuse ? "1" : null),
            new("keyctl", features.Keyctl ? "1" : null),
            new("mknod", features.Mknod ? "1" : null),
            new("mount", features.MountTypes.Count > 0 ? string.Join(';', features.MountTypes) : null),
            new("nesting", features.Nesting ? "1" : null),
        ]);
        return value.Length == 0 ? null : value;
    }

    public static ContainerFeatures ParseFeatures(string value)
    {
        var p = PropertyString.Parse(value);
        return new ContainerFeatures
        {
            Nesting = PropertyString.ParseBool(p.GetValueOrDefault("nesting")),
            Keyctl = PropertyString.ParseBool(p.GetValueOrDefault("keyctl")),
            Fuse = PropertyString.ParseBool(p.GetValueOrDefault("fuse")),
            Mknod = PropertyString.ParseBool(p.GetValueOrDefault("mknod")),
            ForceRwSys = PropertyString.ParseBool(p.GetValueOrDefault("force_rw_sys")),
            MountTypes = p.GetValueOrDefault("mount") is { Length: > 0 } mount
                ? mount.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [],
        };
    }

    // ---- sizes ----

    /// <summary>Proxmox disk size (<c>8G</c>, <c>512M</c>, bytes without unit) in GiB.</summary>
    public static decimal? SizeGiB(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
            return null;
        var m = SizeRegex().Match(size.Trim());
        if (!m.Success)
            return null;
        var number = decimal.Parse(m.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture);
        var factor = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 1024m,
            "M" => 1024m * 1024m,
            "G" => BytesPerGiB,
            "T" => BytesPerGiB * 1024m,
            _ => 1m,
        };
        return Math.Round(number * factor / BytesPerGiB, 6);
    }

    /// <summary>The <c>size</c> argument of <c>PUT .../resize</c>: <c>10G</c> (absolute) or <c>+2G</c> (grow).</summary>
    public static string BuildResizeSize(DiskResize resize)
    {
        ArgumentNullException.ThrowIfNull(resize);
        if (resize.SizeGiB <= 0)
            throw new RequestValidationException("size", "Size must be greater than zero.");
        // Fractions of a GiB are sent in MiB so the value stays exact.
        var text = decimal.Truncate(resize.SizeGiB) == resize.SizeGiB
            ? PropertyString.Number(resize.SizeGiB) + "G"
            : PropertyString.Number(decimal.Ceiling(resize.SizeGiB * 1024m)) + "M";
        return resize.Grow ? "+" + text : text;
    }

    public static IReadOnlyList<string> ParseTags(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? [] : tags.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string BuildTags(string field, IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
            EnsureMatches(field, "tag", tag, TagRegex());
        return string.Join(';', tags);
    }

    public static void EnsureStorageId(string field, string storage) => EnsureMatches(field, "storage", storage, StorageIdRegex());

    private static string NewVolume(string field, string storage, decimal sizeGiB)
    {
        EnsureStorageId(field, storage);
        if (sizeGiB < 0 || sizeGiB > 1024 * 1024)
            throw new RequestValidationException(field, "Size in GiB is out of range.");
        return storage + ":" + PropertyString.Number(sizeGiB);
    }

    private static string? StorageOf(string volume)
    {
        var colon = volume.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? volume[..colon] : null;
    }

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? ParseDouble(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static void EnsureMatches(string field, string key, string value, Regex regex)
    {
        if (!regex.IsMatch(value))
            throw new RequestValidationException(field, $"'{key}' has an invalid value.");
    }

    [GeneratedRegex(@"^[-_.\w]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex InterfaceNameRegex();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MacRegex();

    [GeneratedRegex("^[a-zA-Z0-9_]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex FsTypeRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9\-_.]*[a-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex StorageIdRegex();

    [GeneratedRegex(@"^[a-z0-9_][a-z0-9_\-+.]*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([KMGTkmgt]?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex SizeRegex();
}
