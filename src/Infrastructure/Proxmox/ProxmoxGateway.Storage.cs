using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Storages of a node and the container templates on them.</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<StorageInfo>> ListStoragesAsync(string node, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WireStorage>>($"nodes/{Segment("node", node)}/storage", "storage.list", cancellationToken);
        return wire.Where(s => s.Storage is not null).Select(WireMapping.ToModel).ToList();
    }

    public async Task<IReadOnlyList<TemplateInfo>> ListTemplatesAsync(string node, string storage, CancellationToken cancellationToken)
    {
        LxcPropertyStrings.EnsureStorageId("storage", storage);
        var wire = await api.GetAsync<List<WireStorageContent>>(
            $"nodes/{Segment("node", node)}/storage/{Segment("storage", storage)}/content", "storage.content", cancellationToken,
            Param("content", "vztmpl"));
        return wire.Where(c => c.VolId is not null && (c.Content is null or "vztmpl")).Select(c => c.ToTemplate(node, storage)).ToList();
    }
}
