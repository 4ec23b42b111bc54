using System.Diagnostics.CodeAnalysis;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Parses Proxmox task ids: <c>UPID:node:pid:pstart:starttime:type:id:user:</c> (see <see cref="ProxmoxTaskId"/>).</summary>
internal static class Upid
{
    public static ProxmoxTask Parse(string upid) =>
        TryParse(upid, out var task) ? task : throw new FormatException("The value is not a Proxmox UPID.");

    public static bool TryParse(string? upid, [NotNullWhen(true)] out ProxmoxTask? task) => ProxmoxTaskId.TryParse(upid, out task);
}
