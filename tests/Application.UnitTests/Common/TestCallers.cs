using Moq;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.UnitTests.Common;

internal static class TestCallers
{
    public static CallerIdentity With(params string[] scopes) =>
        new("key000000001", "test key", Scopes.Expand(scopes), KeyRestriction.None);

    public static ICurrentCaller Current(CallerIdentity? caller)
    {
        var mock = new Mock<ICurrentCaller>();
        mock.SetupGet(c => c.Caller).Returns(caller);
        return mock.Object;
    }
}
