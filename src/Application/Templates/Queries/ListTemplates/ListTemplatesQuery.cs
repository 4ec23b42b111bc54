using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Common.Models;

namespace ProxmoxLxc.Application.Templates.Queries.ListTemplates;

/// <summary>
/// Container templates on every online node the caller may see, from each active storage that holds
/// <c>vztmpl</c> content, optionally only on <paramref name="Node"/> and/or <paramref name="Storage"/>.
/// </summary>
public sealed record ListTemplatesQuery(string? Node = null, string? Storage = null) : IAppQuery<Page<TemplateDto>>
{
    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersRead;
}
