using System.Globalization;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Validation;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Form/query parameters for one Proxmox call: booleans as 1/0, invariant numbers, guarded strings.</summary>
internal sealed class ParameterList
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public int Count => _items.Count;

    public bool Contains(string key) => _items.Exists(i => i.Key == key);

    public void Add(string key, int? value)
    {
        if (value is not null)
            _items.Add(new(key, value.Value.ToString(CultureInfo.InvariantCulture)));
    }

    public void Add(string key, double? value)
    {
        if (value is not null)
            _items.Add(new(key, PropertyString.Number(value.Value)));
    }

    public void Add(string key, bool? value)
    {
        if (value is not null)
            _items.Add(new(key, PropertyString.Bool(value.Value)));
    }

    /// <summary>A value already built and validated (property strings, tags, ids).</summary>
    public void AddRaw(string key, string value) => _items.Add(new(key, value));

    /// <summary>A plain single-line value (<see cref="ValidationRules.IsSingleLine"/>: no control characters, no Unicode
    /// line or paragraph separator), no surrounding whitespace.</summary>
    public void AddSingleLine(string key, string? value)
    {
        if (value is null)
            return;
        if (value.Length == 0 || !ValidationRules.IsSingleLine(value) || value.Trim().Length != value.Length)
            throw new RequestValidationException(key, $"'{key}' must be a non-empty single line without control characters.");
        _items.Add(new(key, value));
    }

    /// <summary>A free text that may span lines (description, SSH keys); NUL and other control characters except tab/CR/LF are refused.</summary>
    public void AddMultiLine(string key, string? value)
    {
        if (value is null)
            return;
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            throw new RequestValidationException(key, $"'{key}' contains control characters.");
        _items.Add(new(key, value));
    }

    /// <summary>A secret (password): sent as is, never logged or echoed in errors.</summary>
    public void AddSecret(string key, string? value)
    {
        if (value is null)
            return;
        if (value.Contains('\0', StringComparison.Ordinal))
            throw new RequestValidationException(key, $"'{key}' contains a NUL character.");
        _items.Add(new(key, value));
    }
}
