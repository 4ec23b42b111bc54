using FluentValidation;
using ProxmoxLxc.Domain.Events;

namespace ProxmoxLxc.Application.Webhooks;

internal static class WebhookRules
{
    public const int MaxUrlLength = 2000;

    /// <summary>An absolute http(s) URL without credentials or fragment (the address policy is checked by the handler).</summary>
    public static void ValidUrl<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty()
            .MaximumLength(MaxUrlLength)
            .Must(u => u is null || TryParseUrl(u, out _))
            .WithMessage("'url' must be an absolute http(s) URL without user information or fragment.");

    public static void ValidEvents<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.NotEmpty().WithMessage("At least one event type is required.")
            .Must(e => e is null || e.All(EventTypes.IsKnown))
            .WithMessage($"Unknown event type. Known types: {string.Join(", ", EventTypes.All)}.")
            .Must(e => e is null || e.Distinct(StringComparer.Ordinal).Count() == e.Count)
            .WithMessage("'events' names a type twice.");

    public static void ValidSecret<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || WebhookSecret.TryParse(s, out _))
            .WithMessage($"'secret' must be '{WebhookSecret.Prefix}' followed by the base64 of {WebhookSecret.MinBytes} to {WebhookSecret.MaxBytes} bytes.");

    public static bool TryParseUrl(string text, out Uri url)
    {
        url = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            || parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0 || parsed.Host.Length == 0
            || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        url = parsed;
        return true;
    }
}
