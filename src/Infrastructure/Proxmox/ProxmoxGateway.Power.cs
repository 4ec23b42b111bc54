using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Container status and power actions (<c>/status/...</c>).</summary>
internal sealed partial class ProxmoxGateway
{
    public async Task<ContainerStatus> GetStatusAsync(string node, int vmid, CancellationToken cancellationToken) =>
        (await api.GetAsync<WireContainerStatus>(CtPath(node, vmid) + "/status/current", "lxc.status", cancellationToken)).ToModel(vmid);

    public Task<ProxmoxTask> StartAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PowerAsync(node, vmid, "start", new ParameterList(), cancellationToken);

    public Task<ProxmoxTask> StopAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PowerAsync(node, vmid, "stop", new ParameterList(), cancellationToken);

    public Task<ProxmoxTask> ShutdownAsync(string node, int vmid, int? timeoutSeconds, bool forceStop, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.Add("timeout", timeoutSeconds);
        if (forceStop)
            p.Add("forceStop", true);
        return PowerAsync(node, vmid, "shutdown", p, cancellationToken);
    }

    public Task<ProxmoxTask> RebootAsync(string node, int vmid, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        p.Add("timeout", timeoutSeconds);
        return PowerAsync(node, vmid, "reboot", p, cancellationToken);
    }

    public Task<ProxmoxTask> SuspendAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PowerAsync(node, vmid, "suspend", new ParameterList(), cancellationToken);

    public Task<ProxmoxTask> ResumeAsync(string node, int vmid, CancellationToken cancellationToken) =>
        PowerAsync(node, vmid, "resume", new ParameterList(), cancellationToken);

    private Task<ProxmoxTask> PowerAsync(string node, int vmid, string action, ParameterList parameters, CancellationToken cancellationToken) =>
        PostTaskAsync($"{CtPath(node, vmid)}/status/{action}", parameters, $"lxc.{action}", cancellationToken);
}
