using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers;

/// <summary>
/// Builds the full container resource from at most three Proxmox calls made concurrently: <c>pending</c> (the config with
/// pending values applied, its digest, and the pending changes), <c>status/current</c> and — for a container the
/// inventory shows running — the live interfaces. The caller has already located the container (and so checked the
/// caller's restriction) with <see cref="ContainerLocator"/>.
/// </summary>
internal sealed class ContainerDetailsReader(IProxmoxGateway gateway)
{
    public async Task<ContainerDetailDto> ReadAsync(ClusterContainer located, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(located);
        var configTask = gateway.GetPendingConfigAsync(located.Node, located.VmId, cancellationToken);
        var statusTask = gateway.GetStatusAsync(located.Node, located.VmId, cancellationToken);
        var interfacesTask = IsRunning(located.Status)
            ? gateway.GetInterfacesAsync(located.Node, located.VmId, cancellationToken)
            : Task.FromResult<IReadOnlyList<ContainerInterface>>([]);
        await Task.WhenAll(configTask, statusTask, interfacesTask);

        var config = await configTask;
        var status = await statusTask;
        var interfaces = IsRunning(status.Status) ? await interfacesTask : [];
        return Compose(located, config.Config, status, config.Changes, interfaces);
    }

    /// <summary>Merges the four Proxmox answers; live figures come from <paramref name="status"/>, placement from <paramref name="located"/>.</summary>
    internal static ContainerDetailDto Compose(
        ClusterContainer located,
        ContainerConfig config,
        ContainerStatus status,
        IReadOnlyList<PendingChange> pending,
        IReadOnlyList<ContainerInterface> interfaces) => new()
        {
            VmId = located.VmId,
            Name = config.Hostname ?? status.Name ?? located.Name,
            Node = located.Node,
            Status = status.Status,
            Cpus = status.Cpus,
            Cpu = ContainerMapper.CoresUsed(status.Cpu, status.Cpus),
            MemoryBytes = status.MemoryBytes,
            MaxMemoryBytes = status.MaxMemoryBytes,
            DiskBytes = status.DiskBytes,
            MaxDiskBytes = status.MaxDiskBytes,
            UptimeSeconds = status.UptimeSeconds,
            Tags = config.Tags,
            Pool = located.Pool,
            Template = config.Template || status.Template,
            Lock = status.Lock ?? config.Lock,
            Config = config.ToDto(),
            PendingChanges = pending.Where(p => p.Pending is not null || p.Delete).Select(p => p.ToDto()).ToList(),
            Interfaces = interfaces.Select(i => i.ToDto()).ToList(),
            Digest = config.Digest,
        };

    private static bool IsRunning(string status) => string.Equals(status, "running", StringComparison.Ordinal);
}
