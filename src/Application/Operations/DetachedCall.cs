using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.Application.Operations;

/// <summary>
/// A call the service makes on a caller's behalf outside that caller's HTTP request (a batch's per-container action):
/// set once at the start of the scope it runs in, it is the scope's caller and request facts, so the call passes the
/// same pipeline (scope, restriction, validation, operation row) as if the caller had made it.
/// </summary>
public sealed class DetachedCall
{
    public CallerIdentity? Caller { get; private set; }

    public IRequestContext? Request { get; private set; }

    public void Begin(CallerIdentity caller, IRequestContext request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (Caller is not null)
        {
            throw new InvalidOperationException("A detached call is set once per scope.");
        }

        Caller = caller;
        Request = request;
    }
}
