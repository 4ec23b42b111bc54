using ProxmoxLxc.Domain.Operations;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// How a call ended, as the channel that carried it reports it: the answer code the caller received (stored on the
/// row as given; none for the command line) and the outcome (with a stable code) that this answer stands for, used
/// when nothing inside the call recorded one — e.g. a call refused before it reached a use case.
/// </summary>
public sealed record CallEnd(int? AnswerCode, OperationOutcome Outcome, string? ErrorCode = null, string? Error = null)
{
    /// <summary>A call made without a channel answer (a command-line verb): the outcome recorded inside stands.</summary>
    public static CallEnd Unanswered { get; } = new(null, OperationOutcome.Succeeded);
}
