using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.Operations;

namespace ProxmoxLxc.WebApi.Authentication;

/// <summary>The caller authenticated for this HTTP request (or the caller a detached call in this scope acts for).</summary>
internal sealed class HttpCurrentCaller(IHttpContextAccessor accessor, DetachedCall detached) : ICurrentCaller
{
    public const string ItemKey = "ProxmoxLxc.Caller";

    public CallerIdentity? Caller => detached.Caller ?? accessor.HttpContext?.Items[ItemKey] as CallerIdentity;
}
