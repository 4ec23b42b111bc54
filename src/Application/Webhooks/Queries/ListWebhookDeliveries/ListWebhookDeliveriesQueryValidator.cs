using FluentValidation;

namespace ProxmoxLxc.Application.Webhooks.Queries.ListWebhookDeliveries;

internal sealed class ListWebhookDeliveriesQueryValidator : AbstractValidator<ListWebhookDeliveriesQuery>
{
    public ListWebhookDeliveriesQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, ListWebhookDeliveriesQuery.MaxLimit);
        RuleFor(q => q.Cursor).Must(c => c is null || (long.TryParse(c, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0))
            .WithMessage("'cursor' is not a valid cursor.");
    }
}
