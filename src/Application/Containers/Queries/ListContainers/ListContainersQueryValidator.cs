using FluentValidation;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Application.Containers.Queries.ListContainers;

internal sealed class ListContainersQueryValidator : AbstractValidator<ListContainersQuery>
{
    public ListContainersQueryValidator()
    {
        RuleFor(q => q.Node!).Satisfies(ProxmoxSyntax.IsNodeName, "node name").When(q => q.Node is not null);
        RuleFor(q => q.Status)
            .Must(s => s is null || ListContainersQuery.Statuses.Contains(s, StringComparer.Ordinal))
            .WithMessage($"'status' must be one of {string.Join(", ", ListContainersQuery.Statuses)}.");
        RuleFor(q => q.Pool!).Satisfies(ProxmoxSyntax.IsPoolId, "pool id").When(q => q.Pool is not null);
        RuleFor(q => q.Tag!).Satisfies(ProxmoxSyntax.IsTag, "tag").When(q => q.Tag is not null);
        RuleFor(q => q.Search)
            .NotEmpty().When(q => q.Search is not null)
            .SingleLinePlainText(ListContainersQuery.MaxSearchLength);
        RuleFor(q => q.Limit).InclusiveBetween(1, ListContainersQuery.MaxLimit);
        RuleFor(q => q.Cursor)
            .Must(c => c is null || ContainerCursor.TryDecode(c, out _))
            .WithMessage("'cursor' is not a valid cursor.");
    }
}
