using ProxmoxLxc.Application.Common.Behaviors;
using ProxmoxLxc.Application.Common.Exceptions;
using ProxmoxLxc.Application.Common.Interfaces;
using ProxmoxLxc.Application.UnitTests.Common;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.UnitTests.Behaviors;

public class AuthorizationBehaviorTests
{
    private static AuthorizationBehavior<TestCommand, string> Behavior(CallerIdentity? caller) => new(TestCallers.Current(caller));

    [Test]
    public void Handle_NoCaller_ThrowsForbiddenWithoutCallingTheHandler()
    {
        var called = false;

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () => await Behavior(null).Handle(new TestCommand("x"), (_, _) =>
        {
            called = true;
            return ValueTask.FromResult("ok");
        }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(called, Is.False);
            Assert.That(ex!.RequiredScope, Is.EqualTo(Scopes.ContainersWrite));
        });
    }

    [Test]
    public void Handle_CallerLacksScope_ThrowsForbiddenNamingTheScope()
    {
        var called = false;

        var ex = Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Behavior(TestCallers.With(Scopes.ContainersRead, Scopes.ContainersPower)).Handle(new TestCommand("x"), (_, _) =>
            {
                called = true;
                return ValueTask.FromResult("ok");
            }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(called, Is.False);
            Assert.That(ex!.Code, Is.EqualTo("insufficient_scope"));
            Assert.That(ex.StatusCode, Is.EqualTo(403));
            Assert.That(ex.Extensions!["requiredScope"], Is.EqualTo(Scopes.ContainersWrite));
        });
    }

    [TestCase(Scopes.ContainersWrite)]
    [TestCase(Scopes.Admin)]
    public async Task Handle_CallerHoldsScope_CallsTheHandler(string scope)
    {
        var result = await Behavior(TestCallers.With(scope))
            .Handle(new TestCommand("x"), (_, _) => ValueTask.FromResult("handled"), CancellationToken.None);

        Assert.That(result, Is.EqualTo("handled"));
    }
}
