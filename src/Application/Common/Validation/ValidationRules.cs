using FluentValidation;

namespace ProxmoxLxc.Application.Common.Validation;

/// <summary>Reusable rules. Every string that may reach Proxmox is single-line and option-free.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, string?> SingleLinePlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength)
            .Must(v => v is null || !v.Any(char.IsControl))
            .WithMessage("'{PropertyName}' must be a single line without control characters.");

    /// <summary>A value that must satisfy one of the <see cref="Proxmox.ProxmoxSyntax"/> rules; the message names the value.</summary>
    public static IRuleBuilderOptions<T, string> Satisfies<T>(this IRuleBuilder<T, string> rule, Func<string?, bool> syntax, string what) =>
        rule.Must(v => syntax(v)).WithMessage($"'{{PropertyValue}}' is not a valid {what}.");
}
