using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxmoxLxc.Application.Containers.Commands.UpdateContainerConfig;

/// <summary>
/// API field names that <c>delete</c> accepts, and the Proxmox config key each one removes. Options Proxmox requires
/// (<c>memory</c>, <c>rootfs</c>, <c>ostype</c>: "unable to delete required option") are not deletable.
/// </summary>
internal static partial class ConfigFieldNames
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["cores"] = "cores",
        ["cpuLimit"] = "cpulimit",
        ["cpuUnits"] = "cpuunits",
        ["swapMiB"] = "swap",
        ["onBoot"] = "onboot",
        ["tags"] = "tags",
        ["description"] = "description",
        ["nameserver"] = "nameserver",
        ["searchDomain"] = "searchdomain",
    };

    [GeneratedRegex(@"^networks\[([0-9]|[12][0-9]|3[01])\]\z", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkField();

    public static IEnumerable<string> Known => Keys.Keys.Append("networks[n]");

    /// <summary>The Proxmox key for an API field, or null when the field cannot be deleted.</summary>
    public static string? ToProxmoxKey(string? field)
    {
        if (field is null)
        {
            return null;
        }

        if (Keys.TryGetValue(field, out var key))
        {
            return key;
        }

        var m = NetworkField().Match(field);
        return m.Success ? "net" + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : null;
    }
}
