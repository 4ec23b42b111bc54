using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// The one owner of the current call's operation-log row. Everything that learns something about the call tells it
/// here, by intent; the recorder alone changes and writes the row. A mutating call's row is written twice: when its
/// target container (and node) is known, before the action is dispatched to it, and when the call ends (with its answer)
/// — durably, on a database context of its own and never with the caller's cancellation token. A read call's row is
/// queued and written in batches.
/// </summary>
public interface IOperationRecorder
{
    /// <summary>The operation as recorded so far (its <c>Id</c> is set once the row has been written).</summary>
    OperationDto Current { get; }

    /// <summary>The call arrived: stamps the time it was requested.</summary>
    void Received();

    /// <summary>What the call asks for, by whom (the current caller): the use case, whether it changes anything, its redacted parameters.</summary>
    void Describe(string action, bool isMutating, string? parameters, int? vmId);

    /// <summary>
    /// A mutating call starts: before anything reaches Proxmox, makes sure the database can take its row (503
    /// <c>database_unavailable</c> otherwise). The row itself is first written when its target is known (before the
    /// dispatch) or, for a call that never targets a container, when it ends.
    /// </summary>
    Task BeginAsync();

    /// <summary>
    /// The container (and its node) the call acts on, as soon as it is known. Told before anything is dispatched to it: a
    /// mutating call's row is written durably now (its first write), so that after a crash between the dispatch and
    /// Proxmox's answer the task can be found on that node (the background reconciler does).
    /// </summary>
    Task TargetAsync(int vmId, string? node);

    /// <summary>Proxmox accepted the work as a task: the operation follows it and stays running.</summary>
    OperationDto TaskStarted(ProxmoxTask task);

    /// <summary>
    /// The operation carries on after the call without a Proxmox task of its own (a batch): records
    /// <paramref name="changes"/> and the 202 answer, writes the row now and hands it over — from here the caller of this
    /// method (the batch runner) is its only writer; the call's end writes nothing more.
    /// </summary>
    Task<OperationDto> HandOffAsync(string changes);

    /// <summary>
    /// The call runs under <c>Idempotency-Key</c> claim <paramref name="claimId"/>: the row's first write links the claim
    /// to the operation in the same transaction (see <see cref="IIdempotencyClaims"/>).
    /// </summary>
    void UnderClaim(long claimId);

    /// <summary>What the call changed (JSON, secrets already redacted).</summary>
    void ChangesMade(string changes);

    /// <summary>The call is a repeat (same <c>Idempotency-Key</c>) answered with an earlier operation.</summary>
    void ReplayOf(OperationDto original);

    /// <summary>The use case returned; without a task the operation has succeeded.</summary>
    void Completed();

    /// <summary>The call was refused (4xx-class): caller error, nothing was done.</summary>
    void Rejected(string code, string message);

    /// <summary>The call failed (upstream or internal error).</summary>
    void Failed(string code, string message);

    /// <summary>
    /// The action was sent to Proxmox but its answer was lost: the operation stays running without a task when the call
    /// ends, and the background reconciler settles it from Proxmox's task list (never by sending it again).
    /// </summary>
    void AnswerLost();

    /// <summary>The operation's task ended while the call was still waiting for it (<c>Prefer: wait</c>).</summary>
    void TaskEnded(OperationTaskEnd taskEnd);

    /// <summary>
    /// The call has been answered: records the answer and, when nothing inside recorded an outcome, the one the channel
    /// reports; writes the row (queued for reads) and hands a still-running task to the background worker.
    /// </summary>
    Task EndAsync(CallEnd callEnd);
}
