using ProxmoxLxc.Application.Common.Interfaces;

namespace ProxmoxLxc.WebApi.Authentication;

/// <summary>A fixed caller, for command-line verbs.</summary>
internal sealed class FixedCurrentCaller(CallerIdentity caller) : ICurrentCaller
{
    public CallerIdentity? Caller => caller;
}
