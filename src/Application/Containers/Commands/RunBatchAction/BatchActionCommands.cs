using System.Text.Json.Serialization;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Application.Containers.Commands.RebootContainer;
using ProxmoxLxc.Application.Containers.Commands.ResumeContainer;
using ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;
using ProxmoxLxc.Application.Containers.Commands.StartContainer;
using ProxmoxLxc.Application.Containers.Commands.StopContainer;
using ProxmoxLxc.Application.Containers.Commands.SuspendContainer;

namespace ProxmoxLxc.Application.Containers.Commands.RunBatchAction;

/// <summary>Containers chosen by what they are: every visible container matching all members given.</summary>
public sealed record BatchSelector(string? Pool = null, string? Tag = null, string? Node = null);

/// <summary>
/// One power action on many containers: exactly one of <see cref="VmIds"/> (1–500 distinct ids) or
/// <see cref="Selector"/>; at most <see cref="MaxParallel"/> (1–32, default 4) of the per-container operations run at
/// once. Each container gets an Operation of its own, made exactly as the single-container call makes it. One message
/// type per action, so the action names the batch (<c>BatchStart</c>…).
/// </summary>
public abstract record BatchActionCommand : IIdempotentCommand
{
    public const int MaxVmIds = 500;
    public const int DefaultMaxParallel = 4;
    public const int MaxMaxParallel = 32;

    /// <summary>The containers, by id (order kept in the items).</summary>
    [JsonPropertyName("vmids")]
    public IReadOnlyList<int>? VmIds { get; init; }

    /// <summary>The containers, by pool, tag and/or node, within the key's restriction.</summary>
    public BatchSelector? Selector { get; init; }

    /// <summary>How many per-container operations may run at once (default 4).</summary>
    public int? MaxParallel { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static string RequiredScope => Domain.ApiKeys.Scopes.ContainersPower;

    /// <summary>The last segment of the single-container route (<c>start</c>…), for the per-container rows.</summary>
    public abstract string Verb();

    /// <summary>The single-container command this batch sends for one container.</summary>
    public abstract IIdempotentCommand ForContainer(int vmId);
}

/// <summary>Start many stopped containers.</summary>
public sealed record BatchStartCommand : BatchActionCommand
{
    public override string Verb() => "start";

    public override IIdempotentCommand ForContainer(int vmId) => new StartContainerCommand(vmId);
}

/// <summary>Stop many running containers at once.</summary>
public sealed record BatchStopCommand : BatchActionCommand
{
    public override string Verb() => "stop";

    public override IIdempotentCommand ForContainer(int vmId) => new StopContainerCommand(vmId);
}

/// <summary>Shut many running containers down cleanly; <see cref="TimeoutSeconds"/> and <see cref="ForceStop"/> as for one.</summary>
public sealed record BatchShutdownCommand : BatchActionCommand
{
    public int? TimeoutSeconds { get; init; }

    public bool ForceStop { get; init; }

    public override string Verb() => "shutdown";

    public override IIdempotentCommand ForContainer(int vmId) => new ShutdownContainerCommand(TimeoutSeconds, ForceStop) { VmId = vmId };
}

/// <summary>Reboot many running containers.</summary>
public sealed record BatchRebootCommand : BatchActionCommand
{
    public override string Verb() => "reboot";

    public override IIdempotentCommand ForContainer(int vmId) => new RebootContainerCommand { VmId = vmId };
}

/// <summary>Freeze many running containers.</summary>
public sealed record BatchSuspendCommand : BatchActionCommand
{
    public override string Verb() => "suspend";

    public override IIdempotentCommand ForContainer(int vmId) => new SuspendContainerCommand(vmId);
}

/// <summary>Thaw many suspended containers.</summary>
public sealed record BatchResumeCommand : BatchActionCommand
{
    public override string Verb() => "resume";

    public override IIdempotentCommand ForContainer(int vmId) => new ResumeContainerCommand(vmId);
}
