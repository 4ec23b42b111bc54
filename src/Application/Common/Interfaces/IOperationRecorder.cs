using ProxmoxLxc.Application.Common.Proxmox;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.Application.Common.Interfaces;

/// <summary>
/// The one owner of the current call's operation-log row. Everything that learns something about the call tells it
/// here, by intent; the recorder alone changes and writes the row. A mutating call's row is written twice: when it
/// begins (before Proxmox is called) and when the call ends (with its answer) — durably, on a database context of its
/// own and never with the caller's cancellation token. A read call's row is queued and written in batches.
/// </summary>
public interface IOperationRecorder
{
    /// <summary>The operation as recorded so far (its <c>Id</c> is set once the row has been written).</summary>
    OperationDto Current { get; }

    /// <summary>The call arrived: stamps the time it was requested.</summary>
    void Received();

    /// <summary>What the call asks for, by whom (the current caller): the use case, whether it changes anything, its redacted parameters.</summary>
    void Describe(string action, bool isMutating, string? parameters, int? vmId);

    /// <summary>A mutating call starts: writes the row durably before anything reaches Proxmox.</summary>
    Task BeginAsync();

    /// <summary>The container (and its node) the call acts on, as soon as it is known — before anything is dispatched to it.</summary>
    void Target(int vmId, string? node);

    /// <summary>Proxmox accepted the work as a task: the operation follows it and stays running.</summary>
    OperationDto TaskStarted(ProxmoxTask task);

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

    /// <summary>The operation's task ended while the call was still waiting for it (<c>Prefer: wait</c>).</summary>
    void TaskEnded(OperationTaskEnd taskEnd);

    /// <summary>
    /// Writes the running row now, before the call holds its answer back (<c>Prefer: wait</c>): the task is then known
    /// durably, and resumed by the background worker should this process die during the wait.
    /// </summary>
    Task SaveBeforeWaitingAsync();

    /// <summary>
    /// The call has been answered: records the answer and, when nothing inside recorded an outcome, the one the channel
    /// reports; writes the row (queued for reads) and hands a still-running task to the background worker.
    /// </summary>
    Task EndAsync(CallEnd callEnd);
}
