using FluentValidation;
using ProxmoxLxc.Application.Common.Validation;
using ProxmoxLxc.Application.Containers;

namespace ProxmoxLxc.Application.Templates.Queries.ListTemplates;

internal sealed class ListTemplatesQueryValidator : AbstractValidator<ListTemplatesQuery>
{
    public ListTemplatesQueryValidator()
    {
        RuleFor(q => q.Node!).MatchesPattern(ValidationRules.NodeName(), "node name").When(q => q.Node is not null);
        RuleFor(q => q.Storage!)
            .MaximumLength(64)
            .MatchesPattern(ContainerQueryRules.StorageId(), "storage id")
            .When(q => q.Storage is not null);
    }
}
