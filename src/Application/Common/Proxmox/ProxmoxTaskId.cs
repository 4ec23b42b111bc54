using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxmoxLxc.Application.Common.Proxmox;

/// <summary>
/// Parses Proxmox task ids: <c>UPID:node:pid:pstart:starttime:type:id:user:</c> (hex numbers; pstart may exceed int32).
/// Operation-log rows store the raw UPID; this turns it back into a <see cref="ProxmoxTask"/> for the gateway.
/// </summary>
public static partial class ProxmoxTaskId
{
    public static bool TryParse(string? upid, [NotNullWhen(true)] out ProxmoxTask? task)
    {
        task = null;
        if (upid is null)
        {
            return false;
        }

        var m = UpidRegex().Match(upid);
        if (!m.Success)
        {
            return false;
        }

        task = new ProxmoxTask(
            upid,
            m.Groups[1].Value,
            long.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            long.Parse(m.Groups[4].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(m.Groups[5].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
            m.Groups[6].Value,
            m.Groups[7].Value,
            m.Groups[8].Value);
        return true;
    }

    [GeneratedRegex(@"^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$", RegexOptions.CultureInvariant)]
    private static partial Regex UpidRegex();
}
