using Mediator;
using Microsoft.AspNetCore.Mvc;
using ProxmoxLxc.Application.Containers;
using ProxmoxLxc.Application.Containers.Commands.CloneContainer;
using ProxmoxLxc.Application.Containers.Commands.CreateContainer;
using ProxmoxLxc.Application.Containers.Commands.CreateSnapshot;
using ProxmoxLxc.Application.Containers.Commands.DeleteContainer;
using ProxmoxLxc.Application.Containers.Commands.DeleteSnapshot;
using ProxmoxLxc.Application.Containers.Commands.RebootContainer;
using ProxmoxLxc.Application.Containers.Commands.ResizeContainerDisk;
using ProxmoxLxc.Application.Containers.Commands.ResumeContainer;
using ProxmoxLxc.Application.Containers.Commands.RollbackSnapshot;
using ProxmoxLxc.Application.Containers.Commands.RunBatchAction;
using ProxmoxLxc.Application.Containers.Commands.ShutdownContainer;
using ProxmoxLxc.Application.Containers.Commands.StartContainer;
using ProxmoxLxc.Application.Containers.Commands.StopContainer;
using ProxmoxLxc.Application.Containers.Commands.SuspendContainer;
using ProxmoxLxc.Application.Containers.Commands.UpdateContainerConfig;
using ProxmoxLxc.Application.Operations;
using ProxmoxLxc.WebApi.Hosting;

namespace ProxmoxLxc.WebApi.Controllers;

/// <summary>
/// Everything that changes a container. Each call answers <c>202 Accepted</c> with the Operation that follows the
/// Proxmox task (<c>Location: /api/v1/operations/{id}</c>); send <c>Prefer: wait=N</c> (N ≤ 120 s, larger values are
/// clamped to 120) to wait for the end and get <c>200</c> with the finished Operation. POST calls honour
/// <c>Idempotency-Key</c>: the same key and body within 24 h return the first Operation; another body is 422
/// <c>idempotency_key_reused</c>.
/// </summary>
[Route("api/v1/containers")]
[Tags("Containers")]
public sealed class ContainerActionsController(ISender sender) : ApiControllerBase(sender)
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Create a container from a template (scope <c>containers:write</c>).</summary>
    [HttpPost(Name = "Containers_Create")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Create(CreateContainerCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Start a stopped container (scope <c>containers:power</c>).</summary>
    [HttpPost("{vmid:int}/start", Name = "Containers_Start")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Start(int vmid, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new StartContainerCommand(vmid) { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Stop a running container at once (scope <c>containers:power</c>).</summary>
    [HttpPost("{vmid:int}/stop", Name = "Containers_Stop")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Stop(int vmid, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new StopContainerCommand(vmid) { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Shut a running container down cleanly (scope <c>containers:power</c>); the body is optional.</summary>
    [HttpPost("{vmid:int}/shutdown", Name = "Containers_Shutdown")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Shutdown(int vmid, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ShutdownContainerCommand? command,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send((command ?? new()) with { VmId = vmid, IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Reboot a running container (scope <c>containers:power</c>); the body is optional.</summary>
    [HttpPost("{vmid:int}/reboot", Name = "Containers_Reboot")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Reboot(int vmid, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RebootContainerCommand? command,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send((command ?? new()) with { VmId = vmid, IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Freeze a running container (scope <c>containers:power</c>).</summary>
    [HttpPost("{vmid:int}/suspend", Name = "Containers_Suspend")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Suspend(int vmid, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new SuspendContainerCommand(vmid) { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Thaw a suspended container (scope <c>containers:power</c>).</summary>
    [HttpPost("{vmid:int}/resume", Name = "Containers_Resume")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Resume(int vmid, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new ResumeContainerCommand(vmid) { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Start many stopped containers (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/start", Name = "Containers_BatchStart")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchStart(BatchStartCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Stop many running containers at once (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/stop", Name = "Containers_BatchStop")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchStop(BatchStopCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Shut many running containers down cleanly (<c>timeoutSeconds</c>, <c>forceStop</c> as for one) (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/shutdown", Name = "Containers_BatchShutdown")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchShutdown(BatchShutdownCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Reboot many running containers (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/reboot", Name = "Containers_BatchReboot")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchReboot(BatchRebootCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Freeze many running containers (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/suspend", Name = "Containers_BatchSuspend")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchSuspend(BatchSuspendCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Thaw many suspended containers (scope <c>containers:power</c>); see <see cref="BatchActionCommand"/>.</summary>
    /// <remarks>Body: exactly one of <c>vmids</c> (1–500 distinct ids) or <c>selector</c> {pool?, tag?, node?} (matched on the containers the key may see; a selection of none is a batch with no items, succeeded at once); <c>maxParallel</c> 1–32 (default 4). Answers the batch Operation (<c>action</c> <c>Batch…</c>): <c>items</c> give, per container, its vmid, its own Operation (<c>operationId</c>, made as the single call makes it), status (<c>pending</c> until dispatched) and error — an unknown container, or one outside the key's restriction, is an item with <c>container_not_found</c>; one already in the target state or locked is an item with <c>container_state_conflict</c>. The batch succeeds once every item ended; <c>summary</c> counts them. <c>Prefer: wait</c> and <c>Idempotency-Key</c> work as for one container.</remarks>
    [HttpPost("actions/resume", Name = "Containers_BatchResume")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> BatchResume(BatchResumeCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>
    /// Change the configuration (scope <c>containers:write</c>): only the fields given; <c>delete</c> removes fields.
    /// <c>If-Match</c> with the <c>ETag</c> of the container makes it fail with 412 when someone changed it meanwhile.
    /// Answers the container, listing changes left pending until the next reboot.
    /// </summary>
    [HttpPatch("{vmid:int}/config", Name = "Containers_UpdateConfig")]
    [ProducesResponseType(typeof(ContainerDetailDto), StatusCodes.Status200OK)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status412PreconditionFailed, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<ActionResult<ContainerDetailDto>> UpdateConfig(int vmid, UpdateContainerConfigCommand command,
        [FromHeader(Name = "If-Match")] string? ifMatch, CancellationToken cancellationToken)
    {
        var detail = await Sender.Send(command with { VmId = vmid, IfMatch = ifMatch }, cancellationToken);
        Response.Headers.ETag = detail.Digest is null ? default : $"\"{detail.Digest}\"";
        return detail;
    }

    /// <summary>Grow a disk (scope <c>containers:write</c>): <c>sizeGiB</c> (absolute, larger than now) or <c>growGiB</c>.</summary>
    [HttpPost("{vmid:int}/resize", Name = "Containers_Resize")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Resize(int vmid, ResizeContainerDiskCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { VmId = vmid, IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Destroy a container (scope <c>containers:write</c>); a running one needs <c>force=true</c> (it is stopped first).</summary>
    [HttpDelete("{vmid:int}", Name = "Containers_Delete")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Delete(int vmid, [FromQuery] bool force, [FromQuery] bool purge, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new DeleteContainerCommand(vmid, force, purge), cancellationToken));

    /// <summary>Take a snapshot (scope <c>containers:write</c>).</summary>
    [HttpPost("{vmid:int}/snapshots", Name = "Containers_CreateSnapshot")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> CreateSnapshot(int vmid, CreateSnapshotCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { VmId = vmid, IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Delete a snapshot (scope <c>containers:write</c>).</summary>
    [HttpDelete("{vmid:int}/snapshots/{name}", Name = "Containers_DeleteSnapshot")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> DeleteSnapshot(int vmid, string name, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new DeleteSnapshotCommand(vmid, name), cancellationToken));

    /// <summary>Roll back to a snapshot (scope <c>containers:write</c>).</summary>
    [HttpPost("{vmid:int}/snapshots/{name}/rollback", Name = "Containers_RollbackSnapshot")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> RollbackSnapshot(int vmid, string name, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(new RollbackSnapshotCommand(vmid, name) { IdempotencyKey = idempotencyKey }, cancellationToken));

    /// <summary>Clone a container (scope <c>containers:write</c>); the clone stays in the source's pool.</summary>
    [HttpPost("{vmid:int}/clone", Name = "Containers_Clone")]
    [ProducesResponseType(typeof(OperationDto), StatusCodes.Status202Accepted)]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType(typeof(ProblemDetails), StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(typeof(HttpValidationProblemDetails), StatusCodes.Status422UnprocessableEntity, "application/problem+json")]
    public async Task<IActionResult> Clone(int vmid, CloneContainerCommand command, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, CancellationToken cancellationToken) =>
        new OperationAcceptedResult(await Sender.Send(command with { VmId = vmid, IdempotencyKey = idempotencyKey }, cancellationToken));
}
