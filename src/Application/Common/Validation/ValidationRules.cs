using FluentValidation;

namespace ProxmoxLxc.Application.Common.Validation;

/// <summary>Reusable rules. Every string that may reach Proxmox is single-line and option-free.</summary>
public static class ValidationRules
{
    /// <summary>True when <paramref name="value"/> is one line: no control characters (CR, LF, NUL, U+0085…) and no
    /// Unicode line or paragraph separator (U+2028, U+2029).</summary>
    public static bool IsSingleLine(string? value) =>
        value is null || !value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    public static IRuleBuilderOptions<T, string?> SingleLinePlainText<T>(this IRuleBuilder<T, string?> rule, int maxLength) =>
        rule.MaximumLength(maxLength)
            .Must(IsSingleLine)
            .WithMessage("'{PropertyName}' must be a single line without control characters or line separators.");

    /// <summary>A value that must satisfy one of the <see cref="Proxmox.ProxmoxSyntax"/> rules; the message names the value.</summary>
    public static IRuleBuilderOptions<T, string> Satisfies<T>(this IRuleBuilder<T, string> rule, Func<string?, bool> syntax, string what) =>
        rule.Must(v => syntax(v)).WithMessage($"'{{PropertyValue}}' is not a valid {what}.");
}
