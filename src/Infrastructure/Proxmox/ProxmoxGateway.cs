using System.Globalization;
using Microsoft.Extensions.Options;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>
/// <see cref="IProxmoxGateway"/> over the Proxmox VE REST API (<c>/api2/json</c>), one typed client, split by area:
/// cluster and nodes, containers (lifecycle and config), power, snapshots, monitoring, tasks, storage. Wire shapes are
/// turned into models by <see cref="Wire.WireMapping"/>; caller input was validated by the Application validators, and the
/// guards here (paths, property strings) use the same <see cref="ProxmoxSyntax"/> rules.
/// </summary>
internal sealed partial class ProxmoxGateway(ProxmoxApiClient api, IOptions<ProxmoxOptions> options, TimeProvider timeProvider) : IProxmoxGateway
{
    private async Task<ProxmoxTask> PostTaskAsync(string path, ParameterList parameters, string operation, CancellationToken cancellationToken) =>
        await TaskAsync(HttpMethod.Post, path, parameters, operation, cancellationToken);

    private async Task<ProxmoxTask> TaskAsync(HttpMethod method, string path, ParameterList parameters, string operation, CancellationToken cancellationToken)
    {
        var data = await api.SendAsync(method, path, parameters.Items, operation, cancellationToken);
        return ProxmoxTaskId.TryParse(ProxmoxJson.AsText(data), out var task)
            ? task
            : throw new ProxmoxErrorException($"Proxmox did not return a task id for {operation}.");
    }

    private static string CtPath(string node, int vmid) =>
        $"nodes/{Segment("node", node)}/lxc/{vmid.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A node name or storage id as one path segment.</summary>
    private static string Segment(string field, string value) =>
        ProxmoxSyntax.IsPathSegment(value)
            ? Uri.EscapeDataString(value)
            : throw new RequestValidationException(field, $"'{field}' has an invalid value.");

    private static KeyValuePair<string, string> Param(string key, string value) => new(key, value);
}
