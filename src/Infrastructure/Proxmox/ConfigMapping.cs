using System.Globalization;
using System.Text.RegularExpressions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Flat Proxmox container config (key → text) to <see cref="ContainerConfig"/>.</summary>
internal static partial class ConfigMapping
{
    public static ContainerConfig ToConfig(IReadOnlyDictionary<string, string> raw)
    {
        var networks = new List<ContainerNetwork>();
        var mountPoints = new List<ContainerMountPoint>();
        foreach (var (key, value) in raw)
        {
            if (!ProxmoxSyntax.TryParseIndexedKey(key, out var kind, out var index))
                continue;
            if (kind == "net")
                networks.Add(LxcPropertyStrings.ParseNetwork(index, value));
            else
                mountPoints.Add(LxcPropertyStrings.ParseMountPoint(index, value));
        }

        return new ContainerConfig
        {
            Hostname = Get(raw, "hostname"),
            Cores = Int(raw, "cores"),
            CpuLimit = Double(raw, "cpulimit"),
            CpuUnits = Int(raw, "cpuunits"),
            MemoryMiB = Int(raw, "memory"),
            SwapMiB = Int(raw, "swap"),
            RootFs = Get(raw, "rootfs") is { } rootfs ? LxcPropertyStrings.ParseRootFs(rootfs) : null,
            Networks = networks.OrderBy(n => n.Index).ToList(),
            MountPoints = mountPoints.OrderBy(mp => mp.Index).ToList(),
            Unprivileged = PropertyString.ParseBool(Get(raw, "unprivileged")),
            Features = Get(raw, "features") is { } features ? LxcPropertyStrings.ParseFeatures(features) : null,
            OnBoot = PropertyString.ParseBool(Get(raw, "onboot")),
            Tags = LxcPropertyStrings.ParseTags(Get(raw, "tags")),
            Description = Get(raw, "description"),
            Nameserver = Get(raw, "nameserver"),
            SearchDomain = Get(raw, "searchdomain"),
            OsType = Get(raw, "ostype"),
            Arch = Get(raw, "arch"),
            Lock = Get(raw, "lock") is { Length: > 0 } l ? l : null,
            Template = PropertyString.ParseBool(Get(raw, "template")),
            Digest = Get(raw, "digest"),
            Raw = new Dictionary<string, string>(raw, StringComparer.Ordinal),
        };
    }

    private static string? Get(IReadOnlyDictionary<string, string> raw, string key) => raw.GetValueOrDefault(key);

    private static int? Int(IReadOnlyDictionary<string, string> raw, string key) =>
        double.TryParse(Get(raw, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (int)v : null;

    private static double? Double(IReadOnlyDictionary<string, string> raw, string key) =>
        double.TryParse(Get(raw, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

}

/// <summary>Task status text to <see cref="ProxmoxTaskStatus"/>: <c>WARNINGS: n</c> is success.</summary>
internal static partial class TaskStatusMapping
{
    public static ProxmoxTaskStatus ToStatus(ProxmoxTask task, string? status, string? exitStatus)
    {
        if (!string.Equals(status, "stopped", StringComparison.OrdinalIgnoreCase))
            return new ProxmoxTaskStatus(task, ProxmoxTaskOutcome.Running, null, 0, null);

        var exit = exitStatus?.Trim();
        if (string.Equals(exit, "OK", StringComparison.Ordinal))
            return new ProxmoxTaskStatus(task, ProxmoxTaskOutcome.Succeeded, exit, 0, null);
        var warnings = WarningsRegex().Match(exit ?? string.Empty);
        if (warnings.Success)
        {
            var count = int.TryParse(warnings.Groups[1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            return new ProxmoxTaskStatus(task, ProxmoxTaskOutcome.SucceededWithWarnings, exit, count, null);
        }

        var error = string.IsNullOrEmpty(exit) ? "The task stopped without an exit status." : exit;
        return new ProxmoxTaskStatus(task, ProxmoxTaskOutcome.Failed, exit, 0, error);
    }

    [GeneratedRegex(@"^WARNINGS:\s*(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex WarningsRegex();
}
