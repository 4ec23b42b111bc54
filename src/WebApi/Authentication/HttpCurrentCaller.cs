using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Authentication;

/// <summary>The caller authenticated for this HTTP request.</summary>
internal sealed class HttpCurrentCaller(IHttpContextAccessor accessor) : ICurrentCaller
{
    public const string ItemKey = "ProxmoxLxc.Caller";

    public CallerIdentity? Caller => accessor.HttpContext?.Items[ItemKey] as CallerIdentity;
}
