using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Proxmox reports parameter errors by its own names (<c>memory</c>, <c>net0</c>, <c>ssh-public-keys</c>); callers
/// sent API fields (<c>memoryMiB</c>, <c>networks[0]</c>, <c>sshPublicKeys</c>). This re-keys a 422 to the API paths.
/// </summary>
internal static class ProxmoxFieldMap
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["vmid"] = "vmid",
        ["newid"] = "newVmid",
        ["node"] = "node",
        ["target"] = "targetNode",
        ["storage"] = "targetStorage",
        ["full"] = "full",
        ["ostemplate"] = "template",
        ["hostname"] = "hostname",
        ["cores"] = "cores",
        ["cpulimit"] = "cpuLimit",
        ["cpuunits"] = "cpuUnits",
        ["memory"] = "memoryMiB",
        ["swap"] = "swapMiB",
        ["rootfs"] = "rootfs",
        ["password"] = "password",
        ["ssh-public-keys"] = "sshPublicKeys",
        ["unprivileged"] = "unprivileged",
        ["features"] = "features",
        ["onboot"] = "onBoot",
        ["start"] = "start",
        ["tags"] = "tags",
        ["pool"] = "pool",
        ["description"] = "description",
        ["nameserver"] = "nameserver",
        ["searchdomain"] = "searchDomain",
        ["delete"] = "delete",
        ["digest"] = "If-Match",
        ["snapname"] = "name",
        ["disk"] = "disk",
        ["timeout"] = "timeoutSeconds",
        ["forceStop"] = "forceStop",
    };

    /// <summary>The API field for a Proxmox parameter; <paramref name="networkPosition"/> maps a <c>net[n]</c> index to its list position.</summary>
    public static string ToApiField(string proxmoxName, Func<int, int?>? networkPosition = null, Func<int, int?>? mountPointPosition = null)
    {
        ArgumentNullException.ThrowIfNull(proxmoxName);
        if (Names.TryGetValue(proxmoxName, out var name))
        {
            return name;
        }

        if (ProxmoxSyntax.TryParseIndexedKey(proxmoxName, out var kind, out var index))
        {
            return kind == "net"
                ? $"networks[{networkPosition?.Invoke(index) ?? index}]"
                : $"mountPoints[{mountPointPosition?.Invoke(index) ?? index}]";
        }

        return proxmoxName;
    }

    /// <summary>Runs a Proxmox call and re-keys a 422 parameter error to API field paths.</summary>
    public static async Task<T> RekeyAsync<T>(Func<Task<T>> call, Func<string, string>? map = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RequestValidationException ex)
        {
            throw Rekey(ex, map ?? (n => ToApiField(n)));
        }
    }

    public static async Task RekeyAsync(Func<Task> call, Func<string, string>? map = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call();
        }
        catch (RequestValidationException ex)
        {
            throw Rekey(ex, map ?? (n => ToApiField(n)));
        }
    }

    public static RequestValidationException Rekey(RequestValidationException ex, Func<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(ex);
        ArgumentNullException.ThrowIfNull(map);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (key, messages) in ex.Errors)
        {
            var field = map(key);
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        }

        return new RequestValidationException(errors, ex.StatusCode, ex.Code, ex.Message);
    }
}
