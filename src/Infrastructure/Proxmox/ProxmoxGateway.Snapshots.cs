using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Container snapshots.</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<ContainerSnapshot>> ListSnapshotsAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireSnapshot>>(CtPath(node, vmid) + "/snapshot", "lxc.snapshot.list", cancellationToken);
        return wire.Where(s => s.Name is not null && s.Name != "current").Select(WireMapping.ToModel).ToList();
    }

    public Task<ProxmoxTask> CreateSnapshotAsync(string node, int vmid, string name, string? description, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.AddRaw("snapname", SnapshotName(name));
        if (!string.IsNullOrEmpty(description))
            p.AddSingleLine("description", description);
        return PostTaskAsync(CtPath(node, vmid) + "/snapshot", p, "lxc.snapshot.create", cancellationToken);
    }

    public Task<ProxmoxTask> DeleteSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken) =>
        TaskAsync(HttpMethod.Delete, $"{CtPath(node, vmid)}/snapshot/{SnapshotName(name)}", new ParameterList(), "lxc.snapshot.delete", cancellationToken);

    public Task<ProxmoxTask> RollbackSnapshotAsync(string node, int vmid, string name, CancellationToken cancellationToken) =>
        PostTaskAsync($"{CtPath(node, vmid)}/snapshot/{SnapshotName(name)}/rollback", new ParameterList(), "lxc.snapshot.rollback", cancellationToken);

    /// <summary>The name as a path segment / parameter, guarded with the validators' rule.</summary>
    private static string SnapshotName(string name) =>
        ProxmoxSyntax.IsSnapshotName(name)
            ? name
            : throw new RequestValidationException("snapname", "Snapshot names start with a letter, use letters, digits, '-' or '_', at most 40 characters, and are not 'current' or 'vzdump'.");
}
