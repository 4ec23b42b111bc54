using System.Text.Json;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Infrastructure.Proxmox.Wire;

namespace ProxmoxLxc.Infrastructure.Proxmox;

/// <summary>Container lifecycle (create, delete, clone, resize) and configuration.</summary>
internal sealed partial class ProxmoxGateway
{
    public Task<ProxmoxTask> CreateContainerAsync(ContainerCreateSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new ParameterList();
        p.Add("vmid", spec.VmId);
        p.AddSingleLine("ostemplate", spec.OsTemplate);
        p.AddSingleLine("hostname", spec.Hostname);
        p.Add("cores", spec.Cores);
        p.Add("cpulimit", spec.CpuLimit);
        p.Add("cpuunits", spec.CpuUnits);
        p.Add("memory", spec.MemoryMiB);
        p.Add("swap", spec.SwapMiB);
        if (spec.RootFs is not null)
            p.AddRaw("rootfs", LxcPropertyStrings.BuildRootFs(spec.RootFs));
        AddNetworks(p, spec.Networks);
        foreach (var mp in spec.MountPoints)
            p.AddRaw($"mp{mp.Index}", LxcPropertyStrings.BuildMountPoint(mp));
        p.AddSecret("password", spec.Password);
        p.AddMultiLine("ssh-public-keys", spec.SshPublicKeys);
        p.Add("unprivileged", spec.Unprivileged);
        if (spec.Features is not null && LxcPropertyStrings.BuildFeatures(spec.Features) is { } features)
            p.AddRaw("features", features);
        p.Add("onboot", spec.OnBoot);
        p.Add("start", spec.Start);
        if (spec.Tags.Count > 0)
            p.AddRaw("tags", LxcPropertyStrings.BuildTags("tags", spec.Tags));
        p.AddSingleLine("pool", spec.Pool);
        p.AddMultiLine("description", spec.Description);
        p.AddSingleLine("nameserver", spec.Nameserver);
        p.AddSingleLine("searchdomain", spec.SearchDomain);
        return PostTaskAsync($"nodes/{Segment("node", spec.Node)}/lxc", p, "lxc.create", cancellationToken);
    }

    public Task<ProxmoxTask> DeleteContainerAsync(string node, int vmid, bool purge, bool force, CancellationToken cancellationToken)
    {
        var p = new ParameterList();
        if (purge)
            p.Add("purge", true);
        if (force)
            p.Add("force", true);
        return TaskAsync(HttpMethod.Delete, CtPath(node, vmid), p, "lxc.delete", cancellationToken);
    }

    public Task<ProxmoxTask> CloneContainerAsync(string node, int vmid, ContainerCloneSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var p = new ParameterList();
        p.Add("newid", spec.NewVmId);
        p.AddSingleLine("hostname", spec.Hostname);
        p.Add("full", spec.Full);
        p.AddSingleLine("target", spec.TargetNode);
        if (spec.TargetStorage is not null)
        {
            LxcPropertyStrings.EnsureStorageId("storage", spec.TargetStorage);
            p.AddRaw("storage", spec.TargetStorage);
        }

        p.AddSingleLine("pool", spec.Pool);
        p.AddMultiLine("description", spec.Description);
        return PostTaskAsync(CtPath(node, vmid) + "/clone", p, "lxc.clone", cancellationToken);
    }

    public Task<ProxmoxTask> ResizeDiskAsync(string node, int vmid, string disk, DiskResize size, CancellationToken cancellationToken)
    {
        if (!ProxmoxSyntax.IsDiskName(disk))
            throw new RequestValidationException("disk", "Disk must be 'rootfs' or 'mpN'.");
        var p = new ParameterList();
        p.AddRaw("disk", disk);
        p.AddRaw("size", LxcPropertyStrings.BuildResizeSize(size));
        return TaskAsync(HttpMethod.Put, CtPath(node, vmid) + "/resize", p, "lxc.resize", cancellationToken);
    }

    public async Task<ContainerConfig> GetConfigAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var data = await api.GetAsync(CtPath(node, vmid) + "/config", "lxc.config.get", cancellationToken);
        if (data.ValueKind != JsonValueKind.Object)
            throw new ProxmoxErrorException("Proxmox returned an unexpected container configuration.");
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (ProxmoxJson.AsText(property.Value) is { } text)
                raw[property.Name] = text;
        }

        return ConfigMapping.ToConfig(raw);
    }

    public Task UpdateConfigAsync(string node, int vmid, ContainerConfigUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var p = new ParameterList();
        p.AddSingleLine("hostname", update.Hostname);
        p.Add("cores", update.Cores);
        p.Add("cpulimit", update.CpuLimit);
        p.Add("cpuunits", update.CpuUnits);
        p.Add("memory", update.MemoryMiB);
        p.Add("swap", update.SwapMiB);
        if (update.Networks is not null)
            AddNetworks(p, update.Networks);
        var delete = new List<string>(update.Delete);
        if (update.Features is not null)
        {
            if (LxcPropertyStrings.BuildFeatures(update.Features) is { } features)
                p.AddRaw("features", features);
            else
                delete.Add("features");
        }

        p.Add("onboot", update.OnBoot);
        if (update.Tags is not null)
        {
            if (update.Tags.Count > 0)
                p.AddRaw("tags", LxcPropertyStrings.BuildTags("tags", update.Tags));
            else
                delete.Add("tags");
        }

        p.AddMultiLine("description", update.Description);
        p.AddSingleLine("nameserver", update.Nameserver);
        p.AddSingleLine("searchdomain", update.SearchDomain);
        if (delete.Find(key => !ProxmoxSyntax.IsConfigKey(key)) is { } invalid)
            throw new RequestValidationException("delete", $"'{invalid}' is not a valid configuration key.");
        if (delete.Count > 0)
            p.AddRaw("delete", string.Join(',', delete.Distinct(StringComparer.Ordinal)));
        if (p.Count == 0)
            return Task.CompletedTask; // nothing to change; Proxmox would answer "no options specified"
        if (update.Digest is not null)
        {
            if (!ProxmoxSyntax.IsDigest(update.Digest))
                throw new RequestValidationException("digest", "Digest must be a hexadecimal SHA-1/SHA-256 value.");
            p.AddRaw("digest", update.Digest);
        }

        return api.SendAsync(HttpMethod.Put, CtPath(node, vmid) + "/config", p.Items, "lxc.config.update", cancellationToken);
    }

    public async Task<PendingConfig> GetPendingConfigAsync(string node, int vmid, CancellationToken cancellationToken)
    {
        var wire = await api.GetAsync<List<WirePending>>(CtPath(node, vmid) + "/pending", "lxc.pending", cancellationToken);
        var changes = new List<PendingChange>(wire.Count);
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in wire)
        {
            if (entry.Key is null)
                continue;
            changes.Add(entry.ToModel());
            if (!entry.Delete && (entry.Pending ?? entry.Value) is { } value)
                raw[entry.Key] = value;
        }

        // Proxmox lists the digest as a key of its own; without it (never seen) the config call supplies it.
        var config = raw.ContainsKey("digest")
            ? ConfigMapping.ToConfig(raw)
            : await GetConfigAsync(node, vmid, cancellationToken);
        return new PendingConfig(config, changes.Where(c => c.Key != "digest").ToList());
    }

    private static void AddNetworks(ParameterList p, IReadOnlyList<ContainerNetwork> networks)
    {
        foreach (var network in networks)
            p.AddRaw($"net{network.Index}", LxcPropertyStrings.BuildNetwork(network));
    }
}
