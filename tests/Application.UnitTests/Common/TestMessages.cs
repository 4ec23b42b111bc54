using FluentValidation;
using ProxmoxLxc.Application.Common.Messaging;
using ProxmoxLxc.Domain.ApiKeys;

namespace ProxmoxLxc.Application.UnitTests.Common;

public sealed record TestNetwork(string Name, string? Ipv4 = null, string? Password = null);

/// <summary>A mutating message with secrets and a nested list, as container commands will have.</summary>
public sealed record TestCommand(string Name, string? Password = null, IReadOnlyList<TestNetwork>? Networks = null)
    : IAppCommand<string>, ITargetsContainer
{
    public static string RequiredScope => Scopes.ContainersWrite;

    public int VmId { get; init; } = 101;
}

public sealed record TestQuery(string Filter) : IAppQuery<string>
{
    public static string RequiredScope => Scopes.ContainersRead;
}

public sealed class TestCommandValidator : AbstractValidator<TestCommand>
{
    public TestCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty();
        RuleForEach(c => c.Networks).ChildRules(n =>
            n.RuleFor(x => x.Ipv4).Must(v => v is null or "dhcp" || v.Contains('/', StringComparison.Ordinal))
                .WithMessage("'ipv4' must be a CIDR or dhcp."));
    }
}

public sealed class SecondTestCommandValidator : AbstractValidator<TestCommand>
{
    public SecondTestCommandValidator() => RuleFor(c => c.Name).MaximumLength(3);
}
