using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Application.Templates.Queries.ListTemplates;

internal sealed class ListTemplatesQueryValidator : AbstractValidator<ListTemplatesQuery>
{
    public ListTemplatesQueryValidator()
    {
        RuleFor(q => q.Node!).Satisfies(ProxmoxSyntax.IsNodeName, "node name").When(q => q.Node is not null);
        RuleFor(q => q.Storage!)
            .MaximumLength(64)
            .Satisfies(ProxmoxSyntax.IsStorageId, "storage id")
            .When(q => q.Storage is not null);
    }
}
