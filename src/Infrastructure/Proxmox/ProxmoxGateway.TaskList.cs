using System.Globalization;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    /// <summary>
    /// Tasks of <paramref name="type"/> on <paramref name="vmid"/> that this service's own Proxmox user (the token or
    /// ticket user, which the UPID carries) started on <paramref name="node"/> since <paramref name="since"/>, running
    /// or finished, oldest first: <c>GET /nodes/{node}/tasks?source=all&amp;vmid&amp;typefilter&amp;userfilter&amp;since</c>.
    /// </summary>
    public async Task<IReadOnlyList<ProxmoxTask>> FindOwnTasksAsync(string node, int vmid, string type, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var user = OwnUser;
        var wire = await api.GetAsync<List<WireTaskListEntry>>(
            $"nodes/{Segment("node", node)}/tasks", "tasks.list", cancellationToken,
            Param("source", "all"),
            Param("vmid", vmid.ToString(CultureInfo.InvariantCulture)),
            Param("typefilter", type),
            Param("userfilter", user),
            Param("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            Param("limit", "100"));
        return wire
            .Select(t => ProxmoxTaskId.TryParse(t.Upid, out var task) ? task : null)
            .OfType<ProxmoxTask>()
            // userfilter is a case-insensitive substring match in Proxmox: keep this user's (or token's) tasks only.
            .Where(t => string.Equals(t.User, user, StringComparison.Ordinal) && t.Type == type && t.Node == node)
            .OrderBy(t => t.StartTime)
            .ThenBy(t => t.Pid)
            .ToList();
    }

    /// <summary>The user a UPID names for tasks this service starts: <c>user@realm!token</c> or <c>user@realm</c>.</summary>
    private string OwnUser => options.Value.TokenId is { Length: > 0 } token ? token : options.Value.Username ?? string.Empty;
}
