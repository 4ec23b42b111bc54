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
        if (network.Index is < 0 or >= ProxmoxSyntax.MaxNetworks)
            throw new RequestValidationException(field, $"Network index must be between 0 and {ProxmoxSyntax.MaxNetworks - 1}.");
        Ensure(field, "name", network.Name, ProxmoxSyntax.IsInterfaceName);
        if (network.Bridge is not null)
            Ensure(field, "bridge", network.Bridge, ProxmoxSyntax.IsInterfaceName);
        if (network.MacAddress is not null)
            Ensure(field, "hwaddr", network.MacAddress, ProxmoxSyntax.IsMacSyntax);

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
        if (spec.Index is < 0 or >= ProxmoxSyntax.MaxMountPoints)
            throw new RequestValidationException(field, $"Mount point index must be between 0 and {ProxmoxSyntax.MaxMountPoints - 1}.");
        Ensure(field, "mp", spec.Path, ProxmoxSyntax.IsMountPath);
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
            Ensure("features", "mount", type, ProxmoxSyntax.IsFsType);
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
            Ensure(field, "tag", tag, ProxmoxSyntax.IsTag);
        return string.Join(';', tags);
    }

    public static void EnsureStorageId(string field, string storage) => Ensure(field, "storage", storage, ProxmoxSyntax.IsStorageId);

    private static string NewVolume(string field, string storage, decimal sizeGiB)
    {
        EnsureStorageId(field, storage);
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

    /// <summary>Guards a value that lands in a property string with its <see cref="ProxmoxSyntax"/> rule (the one the validators use).</summary>
    private static void Ensure(string field, string key, string value, Func<string?, bool> rule)
    {
        if (!rule(value))
            throw new RequestValidationException(field, $"'{key}' has an invalid value.");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([KMGTkmgt]?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex SizeRegex();
}
