using FluentValidation;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhooks;

internal sealed class ListWebhooksQueryValidator : AbstractValidator<ListWebhooksQuery>
{
    public ListWebhooksQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, ListWebhooksQuery.MaxLimit);
        RuleFor(q => q.Cursor).MaximumLength(64).Matches("^[a-z0-9]+\\z").WithMessage("'cursor' is not a valid cursor.");
    }
}
