using System.Globalization;
using FluentValidation;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Application.Events.Queries.StreamEvents;

internal sealed class StreamEventsQueryValidator : AbstractValidator<StreamEventsQuery>
{
    public StreamEventsQueryValidator()
    {
        RuleFor(q => q.Types)
            .MaximumLength(200)
            .Must((q, _) => q.TypeList().All(EventTypes.IsKnown))
            .WithMessage($"'types' must be a comma-separated list of {string.Join(", ", EventTypes.All)}.");
        RuleFor(q => q.VmId).InclusiveBetween(100, 999_999_999);
        RuleFor(q => q.LastEventId)
            .Must(id => id is null || TryParseEventId(id, out _))
            .WithMessage("'lastEventId' (or the Last-Event-ID header) must be an event id: a whole number of 0 or more.");
    }

    public static bool TryParseEventId(string value, out long id) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id);
}
