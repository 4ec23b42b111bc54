using Mediator;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Models;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Nodes;

namespace ProxmoxLxc.Application.Templates.Queries.ListTemplates;

/// <summary>Offline nodes are skipped (Proxmox would answer 595 for them); nodes are queried in parallel.</summary>
internal sealed class ListTemplatesQueryHandler(IClusterInventory inventory, IProxmoxGateway gateway, ICurrentCaller currentCaller)
    : IQueryHandler<ListTemplatesQuery, Page<TemplateDto>>
{
    private const string TemplateContent = "vztmpl";

    public async ValueTask<Page<TemplateDto>> Handle(ListTemplatesQuery query, CancellationToken cancellationToken)
    {
        var resources = await inventory.GetAsync(cancellationToken);
        var nodes = resources.Nodes
            .Where(n => string.Equals(n.Status, "online", StringComparison.Ordinal)
                && (query.Node is null || string.Equals(n.Node, query.Node, StringComparison.Ordinal))
                && NodeAccess.IsVisible(currentCaller.Caller, n.Node))
            .Select(n => n.Node)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var perNode = await Task.WhenAll(nodes.Select(node => ListOnNodeAsync(node, query.Storage, cancellationToken)));
        var items = perNode.SelectMany(t => t)
            .OrderBy(t => t.Node, StringComparer.Ordinal)
            .ThenBy(t => t.Storage, StringComparer.Ordinal)
            .ThenBy(t => t.VolId, StringComparer.Ordinal)
            .Select(t => new TemplateDto
            {
                VolId = t.VolId,
                Name = t.Name,
                SizeBytes = t.SizeBytes,
                Storage = t.Storage,
                Node = t.Node,
                Format = t.Format,
                CreatedAt = t.CreatedAt,
            })
            .ToList();
        return new Page<TemplateDto>(items, null);
    }

    private async Task<IReadOnlyList<TemplateInfo>> ListOnNodeAsync(string node, string? storageFilter, CancellationToken cancellationToken)
    {
        var storages = await gateway.ListStoragesAsync(node, cancellationToken);
        var candidates = storages
            .Where(s => s.Active && s.Enabled
                && s.Content.Contains(TemplateContent, StringComparer.Ordinal)
                && (storageFilter is null || string.Equals(s.Storage, storageFilter, StringComparison.Ordinal)))
            .Select(s => s.Storage)
            .ToList();
        var lists = await Task.WhenAll(candidates.Select(storage => gateway.ListTemplatesAsync(node, storage, cancellationToken)));
        return lists.SelectMany(l => l).ToList();
    }
}
