using System.Text.Json;
using Mediator;
using ProxmoxLxc.Application.Common.Auditing;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Common.Proxmox;

namespace ProxmoxLxc.Application.Containers.Commands.UpdateContainerConfig;

internal sealed class UpdateContainerConfigCommandHandler(ContainerCommandSteps steps, ContainerDetailsReader reader, IOperationRecorder recorder)
    : ICommandHandler<UpdateContainerConfigCommand, ContainerDetailDto>
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public async ValueTask<ContainerDetailDto> Handle(UpdateContainerConfigCommand command, CancellationToken cancellationToken)
    {
        // A header, not a body field: checked here (keyed by the header name) before anything reaches Proxmox.
        if (command.IfMatch is not null && command.IfMatch != "*" && !IsEntityTag(command.IfMatch))
        {
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                ["If-Match"] = ["If-Match must be the quoted digest from the container's ETag (a strong entity tag) or '*'."],
            });
        }

        var container = await steps.TargetAsync(command.VmId, cancellationToken);
        var gateway = steps.Gateway;
        var before = await gateway.GetConfigAsync(container.Node, container.VmId, cancellationToken);
        var digest = command.IfMatch is null or "*" ? null : command.IfMatch.Trim('"');
        if (digest is not null && !string.Equals(digest, before.Digest, StringComparison.OrdinalIgnoreCase))
        {
            throw new PreconditionFailedException(
                $"The configuration of container {container.VmId} changed since digest {digest} (now {before.Digest}); read it again and retry.");
        }

        var networks = command.Networks?.Select((n, i) => n.ToNetwork(i)).ToList();
        var update = new ContainerConfigUpdate
        {
            Cores = command.Cores,
            CpuLimit = command.CpuLimit,
            CpuUnits = command.CpuUnits,
            MemoryMiB = command.MemoryMiB,
            SwapMiB = command.SwapMiB,
            Networks = networks,
            OnBoot = command.OnBoot,
            Tags = command.Tags,
            Description = command.Description,
            Nameserver = command.Nameserver,
            SearchDomain = command.SearchDomain,
            Delete = (command.Delete ?? []).Select(f => ConfigFieldNames.ToProxmoxKey(f)!).Distinct(StringComparer.Ordinal).ToList(),
            Digest = digest,
        };
        await ProxmoxFieldMap.RekeyAsync(
            () => gateway.UpdateConfigAsync(container.Node, container.VmId, update, cancellationToken),
            name => ProxmoxFieldMap.ToApiField(name, index => networks?.FindIndex(n => n.Index == index) is var i and >= 0 ? i : null));

        var after = await gateway.GetConfigAsync(container.Node, container.VmId, cancellationToken);
        recorder.ChangesMade(DescribeChanges(before, after));
        return await reader.ReadAsync(container, cancellationToken);
    }

    /// <summary>Before/after of every config key that changed (secrets redacted) and both digests, for the audit row.</summary>
    internal static string DescribeChanges(ContainerConfig before, ContainerConfig after)
    {
        var changes = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in before.Raw.Keys.Union(after.Raw.Keys).Where(k => k != "digest"))
        {
            var old = before.Raw.GetValueOrDefault(key);
            var now = after.Raw.GetValueOrDefault(key);
            if (string.Equals(old, now, StringComparison.Ordinal))
            {
                continue;
            }

            changes[key] = AuditParameters.IsSensitive(key)
                ? new { before = old is null ? null : AuditParameters.Redacted, after = now is null ? null : AuditParameters.Redacted }
                : new { before = old, after = now };
        }

        return JsonSerializer.Serialize(new { digestBefore = before.Digest, digestAfter = after.Digest, changes }, JsonOptions);
    }

    /// <summary>A quoted configuration digest: <c>"&lt;hex&gt;"</c>.</summary>
    private static bool IsEntityTag(string value) => value is ['"', .. var digest, '"'] && ProxmoxSyntax.IsDigest(digest);
}
